package dev.stint.testing;

import dev.stint.standin.OidcProvider;
import dev.stint.standin.QueryRequest;
import dev.stint.standin.Refusal;
import dev.stint.standin.SigningKeys;
import dev.stint.standin.StsDocuments;
import dev.stint.standin.StsRules;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A fake STS for tests: {@code AssumeRole} and {@code AssumeRoleWithWebIdentity} answered in the
 * real XML shape with fresh credentials expiring {@code DurationSeconds} from its clock, every
 * request recorded (see {@link #calls()}), and calls that fail on demand. It refuses what STS
 * refuses ({@link StsRules}: an unsigned {@code AssumeRole}, missing or malformed parameters, a
 * malformed or oversized session policy, a duration over the role's maximum, a web identity token
 * that does not verify against a provider it {@link #trust trusts}), so a request stint sends that
 * AWS would refuse fails here too. It answers {@code GetCallerIdentity} as STS does ({@link
 * StsRules#caller}: stint's own keys are a user of {@link SigningKeys#HOME_ACCOUNT}, its sessions
 * are their roles'), and tells the other fakes which account a session key it minted acts in.
 * Programmed failures and holds are for the assume calls only; {@link #failCallerIdentity} fails
 * the other. Point the SDK at {@link #uri()}.
 */
public final class FakeSts extends FakeAwsEndpoint implements SigningKeys {
  /** Credentials the fake issued, to compare with what the caller received. */
  public record Issued(
      String accessKeyId, String secretAccessKey, String sessionToken, Instant expiration) {}

  /** A programmable failure for the next call(s). */
  public enum Failure {
    ACCESS_DENIED,
    THROTTLING,
    SERVER_ERROR,
    SLOW,
    REGION_DISABLED
  }

  /**
   * A call held in flight: {@code arrived} completes when STS has made the credentials, the answer
   * is sent once the test completes {@code release}.
   */
  public record Hold(CompletableFuture<Call> arrived, CompletableFuture<Void> release) {}

  private static final int KEPT_ISSUED = 1_000;

  /** The sessions it minted by access key id, the oldest forgotten first. */
  private final Map<String, StsDocuments.Session> sessions =
      Collections.synchronizedMap(
          new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, StsDocuments.Session> eldest) {
              return size() > KEPT_ISSUED;
            }
          });

  private volatile boolean callerIdentityFails;
  private final SecureRandom random = new SecureRandom();
  private final Clock clock;
  private final List<Issued> issued = new CopyOnWriteArrayList<>();
  private final Deque<Failure> failures = new ArrayDeque<>();
  private final Deque<Hold> holds = new ArrayDeque<>();
  private final Map<String, OidcProvider> providers = new HashMap<>();
  private final Map<String, Integer> maxSeconds = new HashMap<>();
  private volatile StsRules.Account account = StsRules.Account.EMPTY;
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

  public List<Issued> issued() {
    return List.copyOf(issued);
  }

  /** The calls that asked for credentials (AssumeRole or AssumeRoleWithWebIdentity). */
  public List<Call> assumeCalls() {
    return calls().stream()
        .filter(c -> !StsRules.CALLER_IDENTITY.equals(c.param("Action")))
        .toList();
  }

  @Override
  public Optional<SessionKey> session(String accessKeyId) {
    return Optional.ofNullable(sessions.get(accessKeyId)).map(StsDocuments.Session::key);
  }

  /** Every GetCallerIdentity fails with an internal error while {@code fails}. */
  public FakeSts failCallerIdentity(boolean fails) {
    this.callerIdentityFails = fails;
    return this;
  }

  /** Trusts {@code provider}'s web identity tokens, as an account with that OIDC provider does. */
  public synchronized FakeSts trust(OidcProvider provider) {
    providers.put(provider.issuer(), provider);
    account = new StsRules.Account(providers, maxSeconds);
    return this;
  }

  /** The role's {@code MaxSessionDuration} (a role not given one allows 12 hours). */
  public synchronized FakeSts maxSessionDuration(String roleArn, Duration max) {
    maxSeconds.put(roleArn, (int) max.toSeconds());
    account = new StsRules.Account(providers, maxSeconds);
    return this;
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

  /** The next successful assume call is answered only when the test releases it. */
  public synchronized Hold holdNext() {
    Hold hold = new Hold(new CompletableFuture<>(), new CompletableFuture<>());
    holds.add(hold);
    return hold;
  }

  public synchronized void reset() {
    failures.clear();
    holds.forEach(h -> h.release().complete(null));
    holds.clear();
    always = null;
  }

  @Override
  protected Answer answer(Call call) {
    QueryRequest request = call.request();
    if (StsRules.CALLER_IDENTITY.equals(request.param("Action"))) {
      return callerIdentity(request);
    }
    Failure failure = nextFailure();
    if (failure != null && failure != Failure.SLOW) {
      return failure(failure, call);
    }
    Optional<Refusal> refusal = StsRules.refusal(request, account, clock.instant());
    Answer answer =
        refusal.isPresent() ? error(refusal.get(), StsRules.NAMESPACE) : success(request);
    // A slow STS holds the answer on a timer: no thread of the fake waits, as none of AWS's does.
    if (failure == Failure.SLOW) {
      answer = answer.after(slowFor);
    }
    Hold hold = refusal.isPresent() ? null : nextHold();
    if (hold == null) {
      return answer;
    }
    hold.arrived().complete(call);
    return answer.until(hold.release());
  }

  private Answer callerIdentity(QueryRequest request) {
    if (callerIdentityFails) {
      return error(500, "Receiver", "InternalFailure", "An internal error occurred");
    }
    StsRules.Caller caller =
        StsRules.caller(request, key -> Optional.ofNullable(sessions.get(key)), clock.instant());
    if (caller.refusal() != null) {
      return error(caller.refusal(), StsRules.NAMESPACE);
    }
    StsDocuments.Identity identity =
        caller.identity().equals(StsDocuments.HOME_USER)
            ? new StsDocuments.User(homeUser, StsDocuments.HOME_USER.id(), SigningKeys.HOME_ACCOUNT)
            : caller.identity();
    return new Answer(200, "text/xml", StsDocuments.callerIdentity(identity));
  }

  private volatile String homeUser = SigningKeys.HOME_USER;

  /**
   * Whom stint's own keys are, as GetCallerIdentity answers: a user of the home account, in another
   * partition when a test serves one (AWS's partitions each have their own identities).
   */
  public FakeSts homeUser(String arn) {
    this.homeUser = arn;
    return this;
  }

  private Answer success(QueryRequest request) {
    StsDocuments.Credentials credentials =
        StsDocuments.credentials(
            random,
            clock.instant().truncatedTo(ChronoUnit.SECONDS).plusSeconds(StsRules.seconds(request)));
    if (recording()) {
      sessions.put(
          credentials.accessKeyId(),
          StsDocuments.Session.started(request, credentials, clock.instant()));
      issued.add(
          new Issued(
              credentials.accessKeyId(),
              credentials.secretAccessKey(),
              credentials.sessionToken(),
              credentials.expiration()));
      if (issued.size() > KEPT_ISSUED) {
        issued.remove(0);
      }
    }
    return new Answer(200, "text/xml", StsDocuments.assumed(request, credentials));
  }

  private synchronized Hold nextHold() {
    return holds.poll();
  }

  private synchronized Failure nextFailure() {
    Failure next = failures.poll();
    return next != null ? next : always;
  }

  private static Answer failure(Failure failure, Call call) {
    return switch (failure) {
      case ACCESS_DENIED ->
          error(
              403,
              "Sender",
              "AccessDenied",
              "User: arn:aws:iam::111122223333:"
                  + "user/stint is not authorized to perform: sts:AssumeRole on resource: "
                  + call.param("RoleArn"));
      case THROTTLING -> error(400, "Sender", "Throttling", "Rate exceeded");
      case SERVER_ERROR -> error(500, "Receiver", "InternalFailure", "An internal error occurred");
      case REGION_DISABLED ->
          error(
              403,
              "Sender",
              "RegionDisabledException",
              "STS is not activated in this region for account:111122223333");
      case SLOW -> throw new IllegalStateException("SLOW is not an error answer");
    };
  }
}
