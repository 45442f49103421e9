package dev.stint.standin;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Locale;
import java.util.OptionalInt;

/**
 * STS's answer to an {@code AssumeRole} or {@code AssumeRoleWithWebIdentity} it accepted, in the
 * real XML shape, with fresh credentials of the real form that are useless outside the stand-in.
 */
public final class StsDocuments {
  /** Credentials as STS issues them: access key id, secret, session token and expiry. */
  public record Credentials(
      String accessKeyId, String secretAccessKey, String sessionToken, Instant expiration) {
    @Override
    public String toString() {
      return "Credentials[" + accessKeyId + ", expires " + expiration + "]";
    }
  }

  private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

  private StsDocuments() {}

  /** New credentials expiring at {@code expiration}. */
  public static Credentials credentials(SecureRandom random, Instant expiration) {
    return new Credentials(
        "ASIA" + random(random, 16),
        random(random, 40),
        "FQoGZXIvYXdzE" + random(random, 200),
        expiration);
  }

  /** The answer to {@code request} (its action, role, session and source identity). */
  public static String assumed(QueryRequest request, Credentials credentials) {
    String action = request.param("Action");
    String session = request.param("RoleSessionName");
    String role = request.param("RoleArn");
    String roleName = role.substring(role.lastIndexOf('/') + 1);
    String sourceIdentity = request.param("SourceIdentity");
    OptionalInt packed = StsRules.packedPercent(request);
    return "<"
        + action
        + "Response xmlns=\""
        + StsRules.NAMESPACE
        + "\"><"
        + action
        + "Result>"
        + (sourceIdentity == null
            ? ""
            : "<SourceIdentity>" + Xml.escape(sourceIdentity) + "</SourceIdentity>")
        + "<AssumedRoleUser><Arn>arn:aws:sts::111122223333:assumed-role/"
        + Xml.escape(roleName)
        + "/"
        + Xml.escape(session)
        + "</Arn><AssumedRoleId>AROA3XFRBF535PLBIFPI4:"
        + Xml.escape(session)
        + "</AssumedRoleId></AssumedRoleUser><Credentials><AccessKeyId>"
        + credentials.accessKeyId()
        + "</AccessKeyId><SecretAccessKey>"
        + credentials.secretAccessKey()
        + "</SecretAccessKey><SessionToken>"
        + credentials.sessionToken()
        + "</SessionToken><Expiration>"
        + credentials.expiration()
        + "</Expiration></Credentials>"
        + (packed.isPresent()
            ? "<PackedPolicySize>" + packed.getAsInt() + "</PackedPolicySize>"
            : "")
        + "</"
        + action
        + "Result><ResponseMetadata><RequestId>"
        + QueryServer.requestId()
        + "</RequestId></ResponseMetadata></"
        + action
        + "Response>";
  }

  private static String random(SecureRandom random, int length) {
    // One call into SecureRandom per value, not one per character: under load the stand-in
    // spent more on the PRNG's lock than stint spends on a call.
    byte[] bytes = new byte[length];
    random.nextBytes(bytes);
    StringBuilder b = new StringBuilder(length);
    for (byte x : bytes) {
      b.append(ALPHABET.charAt(x & 31)); // 32 letters: every one equally likely
    }
    return length > 16 ? b.toString().toLowerCase(Locale.ROOT).replace('a', 'A') : b.toString();
  }
}
