package dev.stint.mint;

import dev.stint.common.Fingerprints;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An OAuth access token, for {@code target}: a GCP service account, or an Entra app and the scope
 * it was issued for. {@code expiryField} names its expiry in the answer as the cloud's own tools do
 * (Google's {@code expires_at}, Entra's {@code expires_on}). {@code tokenId} is the token's own
 * identifier where it carries one (Entra's {@code uti}), kept in the ledger and the audit beside
 * the fingerprint.
 */
public record AccessToken(
    String cloud,
    String target,
    String token,
    Instant expiresAt,
    String expiryField,
    Optional<Receipt.TokenId> tokenId)
    implements Credential {
  /** A token that carries no identifier of its own (Google's). */
  public AccessToken(
      String cloud, String target, String token, Instant expiresAt, String expiryField) {
    this(cloud, target, token, expiresAt, expiryField, Optional.empty());
  }

  public AccessToken {
    Objects.requireNonNull(tokenId, "tokenId");
    Objects.requireNonNull(cloud, "cloud");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(expiresAt, "expiresAt");
    Objects.requireNonNull(expiryField, "expiryField");
  }

  @Override
  public Receipt receipt() {
    Receipt receipt = Receipt.token(cloud, target, token, expiresAt);
    return tokenId.map(receipt::withTokenId).orElse(receipt);
  }

  @Override
  public Map<String, String> wireFields() {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("cloud", cloud);
    fields.put("access_token", token);
    fields.put(expiryField, expiresAt.toString());
    return fields;
  }

  @Override
  public Map<String, Object> auditFacts() {
    Map<String, Object> facts = new LinkedHashMap<>();
    facts.put("access_token_sha256", Fingerprints.sha256(token));
    facts.put("expires_at", expiresAt.toString());
    tokenId.ifPresent(id -> facts.put("token_id", id.id()));
    return facts;
  }

  @Override
  public String toString() {
    return "AccessToken[cloud="
        + cloud
        + ", target="
        + target
        + ", token=***, expiresAt="
        + expiresAt
        + "]";
  }
}
