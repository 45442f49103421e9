package dev.stint.mint;

import dev.stint.common.Fingerprints;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What stint keeps of a credential instead of it: the cloud, the target it was minted on (a role
 * ARN, a service account, an Entra app and scope), what names it without its secret (an AWS access
 * key id, or the first 16 hex characters of a token's SHA-256), the session name and source
 * identity the cloud's own logs show, when it stops working, whether the cloud can end it sooner
 * ({@code revocable}: what a revoke reaches), and for a token that carries one, its own identifier
 * ({@link TokenId}). The credentials ledger stores it, and revocation acts on it, so what a revoke
 * reaches is what was minted, whatever the policy says later.
 */
public record Receipt(
    String cloud,
    String target,
    Optional<String> accessKeyId,
    Optional<String> fingerprint,
    Optional<String> sessionName,
    Optional<String> sourceIdentity,
    Instant expiresAt,
    boolean revocable,
    Optional<TokenId> tokenId) {
  /** How many hex characters of a token's SHA-256 name it. */
  public static final int FINGERPRINT_HEX = 16;

  /**
   * A token's own identifier, as the cloud's logs record it with each call (Entra's {@code uti}
   * claim: not a secret), and the tenant that issued it ({@code tid}) when it says. {@code
   * lookedUp}: stint looks the calls made with it up in a log it reads, as decided at the mint (an
   * Entra token for Azure Resource Manager, whose Activity Log stint reads).
   */
  public record TokenId(String id, Optional<String> tenant, boolean lookedUp) {
    public TokenId {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(tenant, "tenant");
    }
  }

  public Receipt {
    Objects.requireNonNull(cloud, "cloud");
    Objects.requireNonNull(tokenId, "tokenId");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(expiresAt, "expiresAt");
    if (accessKeyId.isEmpty() == fingerprint.isEmpty()) {
      throw new IllegalArgumentException(
          "a receipt names a credential by an access key id or by a fingerprint, exactly one");
    }
  }

  /** An AWS session on {@code roleArn}. */
  public static Receipt awsSession(
      String roleArn,
      String accessKeyId,
      String sessionName,
      String sourceIdentity,
      Instant expiresAt) {
    return new Receipt(
        "aws",
        roleArn,
        Optional.of(accessKeyId),
        Optional.empty(),
        Optional.of(sessionName),
        Optional.of(sourceIdentity),
        expiresAt,
        true,
        Optional.empty());
  }

  /** A bearer token for {@code target}, named by its fingerprint. */
  public static Receipt token(String cloud, String target, String token, Instant expiresAt) {
    return new Receipt(
        cloud,
        target,
        Optional.empty(),
        Optional.of(fingerprint(token)),
        Optional.empty(),
        Optional.empty(),
        expiresAt,
        false,
        Optional.empty());
  }

  /** This receipt naming the token also by its own identifier. */
  public Receipt withTokenId(TokenId id) {
    return new Receipt(
        cloud,
        target,
        accessKeyId,
        fingerprint,
        sessionName,
        sourceIdentity,
        expiresAt,
        revocable,
        Optional.of(id));
  }

  /** The first {@link #FINGERPRINT_HEX} hex characters of the token's SHA-256. */
  public static String fingerprint(String token) {
    return Fingerprints.sha256Hex(token.getBytes(StandardCharsets.UTF_8))
        .substring(0, FINGERPRINT_HEX);
  }
}
