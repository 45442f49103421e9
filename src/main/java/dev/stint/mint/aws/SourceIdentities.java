package dev.stint.mint.aws;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The {@code SourceIdentity} of a session: {@code PERSON.GRANT}, where PERSON is a short hash of
 * the holder's (issuer, subject) and GRANT the grant id.
 *
 * <p>Built from the stable identity, not from an email or display name, because those are claims
 * that may be absent or change between the request and a mint. Per grant, not per person, because
 * the revocation deny also keys on it (it is what follows a session through role chaining, where
 * stint's non-transitive tags do not): a per-person value would end the same person's other grants
 * on the role. The PERSON part lets CloudTrail group one person's sessions; the GRANT part leads to
 * the grant's {@code credential.issued} events, which name the person.
 */
public final class SourceIdentities {
  /** AWS: 2 to 64 characters of {@code [\w+=,.@-]}. */
  public static final String ALLOWED = "[\\w+=,.@-]{2,64}";

  static final int MAX = 64;
  private static final int PERSON_HEX = 16;

  private SourceIdentities() {}

  public static String of(String issuer, String subject, String grantId) {
    String grant = grantId.replaceAll("[^\\w+=,.@-]", "_");
    String value = person(issuer, subject) + "." + grant;
    return value.length() > MAX ? value.substring(0, MAX) : value;
  }

  /** A hash, so that neither issuer URL nor subject (which may be an email) appears in AWS. */
  static String person(String issuer, String subject) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      // The separator cannot occur in an issuer URL, so no two pairs hash the same input.
      byte[] digest = sha.digest((issuer + "\n" + subject).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, PERSON_HEX);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
