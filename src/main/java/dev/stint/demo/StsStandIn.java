package dev.stint.demo;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A local STS: answers {@code AssumeRole} and {@code AssumeRoleWithWebIdentity} in the real XML
 * shape with fresh (useless outside this process) credentials expiring {@code DurationSeconds} from
 * its clock. The real AWS SDK client is pointed at {@link #uri()}. Like STS, it refuses a malformed
 * request with {@code ValidationError}: a session name or source identity outside {@code
 * [\w+=,.@-]{2,64}} (or a source identity starting {@code aws:}), more than 50 tags, a tag key
 * outside 1-128 or a value over 256 characters of letters, digits, spaces and {@code _.:/=+-@},
 * repeated tag keys, keys starting {@code aws:}, and a duration outside 900-43200 seconds; the same
 * for the source identity and tags a web identity token carries.
 */
public class StsStandIn extends AwsStandIn {
  /** Credentials the stand-in issued, to compare with what the caller received. */
  public record Issued(
      String accessKeyId, String secretAccessKey, String sessionToken, Instant expiration) {}

  private static final String NS = "https://sts.amazonaws.com/doc/2011-06-15/";
  private static final int KEPT_ISSUED = 1_000;
  private final SecureRandom random = new SecureRandom();
  private final Clock clock;
  private final List<Issued> issued = new CopyOnWriteArrayList<>();

  public StsStandIn(Clock clock) {
    this.clock = clock;
  }

  public List<Issued> issued() {
    return List.copyOf(issued);
  }

  protected static boolean isAssume(Call call) {
    String action = call.param("Action");
    return "AssumeRole".equals(action) || "AssumeRoleWithWebIdentity".equals(action);
  }

  @Override
  protected Answer answer(Call call) {
    if (!isAssume(call)) {
      return error(
          400, "Sender", "InvalidAction", "Could not find operation " + call.param("Action"));
    }
    String invalid = StsValidation.problem(call.params());
    if (invalid != null) {
      return error(400, "Sender", "ValidationError", invalid);
    }
    return success(call.param("Action"), call);
  }

  private Answer success(String action, Call call) {
    int seconds =
        call.param("DurationSeconds") == null
            ? 3600
            : Integer.parseInt(call.param("DurationSeconds"));
    Issued creds =
        new Issued(
            "ASIA" + random(16),
            random(40),
            "FQoGZXIvYXdzE" + random(200),
            clock.instant().truncatedTo(ChronoUnit.SECONDS).plusSeconds(seconds));
    if (recording()) {
      issued.add(creds);
      if (issued.size() > KEPT_ISSUED) {
        issued.remove(0);
      }
    }
    String session = call.param("RoleSessionName");
    String role = call.param("RoleArn");
    String roleName = role == null ? "" : role.substring(role.lastIndexOf('/') + 1);
    String sourceIdentity = call.param("SourceIdentity");
    String body =
        "<"
            + action
            + "Response xmlns=\""
            + NS
            + "\"><"
            + action
            + "Result>"
            + (sourceIdentity == null
                ? ""
                : "<SourceIdentity>" + xml(sourceIdentity) + "</SourceIdentity>")
            + "<AssumedRoleUser><Arn>arn:aws:sts::111122223333:assumed-role/"
            + xml(roleName)
            + "/"
            + xml(String.valueOf(session))
            + "</Arn><AssumedRoleId>AROA3XFRBF535PLBIFPI4:"
            + xml(String.valueOf(session))
            + "</AssumedRoleId></AssumedRoleUser>"
            + "<Credentials><AccessKeyId>"
            + creds.accessKeyId()
            + "</AccessKeyId><SecretAccessKey>"
            + creds.secretAccessKey()
            + "</SecretAccessKey><SessionToken>"
            + creds.sessionToken()
            + "</SessionToken><Expiration>"
            + creds.expiration()
            + "</Expiration></Credentials>"
            + "<PackedPolicySize>8</PackedPolicySize></"
            + action
            + "Result><ResponseMetadata>"
            + "<RequestId>"
            + requestId()
            + "</RequestId></ResponseMetadata></"
            + action
            + "Response>";
    return new Answer(200, "text/xml", body);
  }

  private String random(int length) {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    // One call into SecureRandom per value, not one per character: under load the stand-in
    // spent more on the PRNG's lock than stint spends on a call.
    byte[] bytes = new byte[length];
    random.nextBytes(bytes);
    StringBuilder b = new StringBuilder(length);
    for (byte x : bytes) {
      b.append(alphabet.charAt(x & 31)); // 32 letters: every one equally likely
    }
    return length > 16 ? b.toString().toLowerCase(Locale.ROOT).replace('a', 'A') : b.toString();
  }
}
