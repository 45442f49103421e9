package dev.stint.testing;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A local STS for tests: answers {@code AssumeRole} and {@code AssumeRoleWithWebIdentity} in the
 * real XML shape with fresh credentials expiring {@code DurationSeconds} from its clock, records
 * each request's parameters ({@code RoleArn}, {@code DurationSeconds}, {@code RoleSessionName},
 * {@code SourceIdentity}, {@code Tags.member.N.Key/Value}, {@code Policy},
 * {@code WebIdentityToken}) and fails on demand. Point the SDK at {@link #uri()}.
 */
public final class FakeSts extends FakeAwsEndpoint {
  /** A programmable failure for the next call(s). */
  public enum Failure {
    ACCESS_DENIED, THROTTLING, SERVER_ERROR, SLOW, REGION_DISABLED, DURATION_TOO_LONG, INVALID_IDENTITY_TOKEN
  }

  /** Credentials the fake issued, to compare with what the caller received. */
  public record Issued(String accessKeyId, String secretAccessKey, String sessionToken,
      Instant expiration) {}

  private static final String NS = "https://sts.amazonaws.com/doc/2011-06-15/";
  private final SecureRandom random = new SecureRandom();
  private final Clock clock;
  private final Deque<Failure> failures = new ArrayDeque<>();
  private final List<Issued> issued = new CopyOnWriteArrayList<>();
  private volatile Failure always;
  private volatile Duration slowFor = Duration.ofSeconds(2);

  public FakeSts() {
    this(Clock.systemUTC());
  }

  public FakeSts(Clock clock) {
    this.clock = clock;
  }

  /** A fake that keeps no record of calls or credentials, so that load can run for minutes. */
  public static FakeSts forLoad() {
    FakeSts sts = new FakeSts();
    sts.stopRecording();
    return sts;
  }

  /** The next calls fail in this order, one failure each; later calls succeed. */
  public synchronized FakeSts failNext(Failure... next) {
    failures.addAll(List.of(next));
    return this;
  }

  /** Every call fails this way until {@link #reset()}. */
  public FakeSts failAlways(Failure failure) {
    this.always = failure;
    return this;
  }

  /** How long a {@link Failure#SLOW} answer takes. */
  public FakeSts slowFor(Duration delay) {
    this.slowFor = delay;
    return this;
  }

  public synchronized void reset() {
    failures.clear();
    always = null;
  }

  public List<Issued> issued() {
    return List.copyOf(issued);
  }

  @Override
  protected Answer answer(Call call) {
    String action = call.param("Action");
    if (!"AssumeRole".equals(action) && !"AssumeRoleWithWebIdentity".equals(action)) {
      return error(400, "Sender", "InvalidAction", "Could not find operation " + action);
    }
    Failure failure = nextFailure();
    if (failure != null && failure != Failure.SLOW) {
      return failure(failure, call);
    }
    if (failure == Failure.SLOW) {
      pause();
    }
    return success(action, call);
  }

  private synchronized Failure nextFailure() {
    Failure next = failures.poll();
    return next != null ? next : always;
  }

  private Answer failure(Failure failure, Call call) {
    return switch (failure) {
      case ACCESS_DENIED -> error(403, "Sender", "AccessDenied", "User: arn:aws:iam::111122223333:"
          + "user/stint is not authorized to perform: sts:AssumeRole on resource: " + call.param("RoleArn"));
      case THROTTLING -> error(400, "Sender", "Throttling", "Rate exceeded");
      case SERVER_ERROR -> error(500, "Receiver", "InternalFailure", "An internal error occurred");
      case REGION_DISABLED -> error(403, "Sender", "RegionDisabledException",
          "STS is not activated in this region for account:111122223333");
      case DURATION_TOO_LONG -> error(400, "Sender", "ValidationError", "The requested "
          + "DurationSeconds exceeds the MaxSessionDuration set for this role.");
      case INVALID_IDENTITY_TOKEN -> error(400, "Sender", "InvalidIdentityToken",
          "Couldn't retrieve verification key from your identity provider");
      case SLOW -> throw new IllegalStateException("SLOW is not an error answer");
    };
  }

  private void pause() {
    try {
      Thread.sleep(slowFor.toMillis()); // simulating a slow upstream, on the fake's own thread
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Answer success(String action, Call call) {
    int seconds = call.param("DurationSeconds") == null ? 3600 : Integer.parseInt(call.param("DurationSeconds"));
    Issued creds = new Issued("ASIA" + random(16), random(40), "FQoGZXIvYXdzE" + random(200),
        clock.instant().truncatedTo(ChronoUnit.SECONDS).plusSeconds(seconds));
    if (recording()) {
      issued.add(creds);
    }
    String session = call.param("RoleSessionName");
    String role = call.param("RoleArn");
    String roleName = role == null ? "" : role.substring(role.lastIndexOf('/') + 1);
    String sourceIdentity = call.param("SourceIdentity");
    String body = "<" + action + "Response xmlns=\"" + NS + "\"><" + action + "Result>"
        + (sourceIdentity == null ? "" : "<SourceIdentity>" + xml(sourceIdentity) + "</SourceIdentity>")
        + "<AssumedRoleUser><Arn>arn:aws:sts::111122223333:assumed-role/" + xml(roleName) + "/"
        + xml(String.valueOf(session)) + "</Arn><AssumedRoleId>AROA3XFRBF535PLBIFPI4:"
        + xml(String.valueOf(session)) + "</AssumedRoleId></AssumedRoleUser>"
        + "<Credentials><AccessKeyId>" + creds.accessKeyId() + "</AccessKeyId><SecretAccessKey>"
        + creds.secretAccessKey() + "</SecretAccessKey><SessionToken>" + creds.sessionToken()
        + "</SessionToken><Expiration>" + creds.expiration() + "</Expiration></Credentials>"
        + "<PackedPolicySize>8</PackedPolicySize></" + action + "Result><ResponseMetadata>"
        + "<RequestId>" + requestId() + "</RequestId></ResponseMetadata></" + action + "Response>";
    return new Answer(200, "text/xml", body);
  }

  private String random(int length) {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    StringBuilder b = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      b.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return length > 16 ? b.toString().toLowerCase(Locale.ROOT).replace('a', 'A') : b.toString();
  }
}
