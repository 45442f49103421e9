package dev.stint.demo;

import dev.stint.standin.CloudTrailEvent;
import dev.stint.standin.OidcProvider;
import dev.stint.standin.QueryRequest;
import dev.stint.standin.Refusal;
import dev.stint.standin.SigV4;
import dev.stint.standin.SigningKeys;
import dev.stint.standin.StandInReply;
import dev.stint.standin.StsDocuments;
import dev.stint.standin.StsRules;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A local STS: answers {@code AssumeRole} and {@code AssumeRoleWithWebIdentity} in the real XML
 * shape with fresh (useless outside this process) credentials expiring {@code DurationSeconds} from
 * its clock, answers {@code GetCallerIdentity} signed with those credentials with the session's
 * assumed-role ARN (so {@code aws sts get-caller-identity} shows whom stint's credentials make the
 * caller; signed with a key it did not mint, stint's own identity, a user of {@link
 * SigningKeys#HOME_ACCOUNT}), assumes a role in any account (a broker role in another account too),
 * and refuses what STS refuses, in STS's words ({@link StsRules}): an unsigned {@code AssumeRole},
 * missing or malformed parameters, a malformed or oversized session policy, and a web identity
 * token that does not verify against an OIDC provider it was told to trust ({@link #trust}). The
 * real AWS SDK client is pointed at {@link #uri()}.
 */
public final class StsStandIn extends AwsStandIn implements SigningKeys {
  /** Credentials the stand-in issued, to compare with what the caller received. */
  public record Issued(
      String accessKeyId, String secretAccessKey, String sessionToken, Instant expiration) {}

  /** A long demo must not grow without bound. */
  private static final int KEPT_ISSUED = 1_000;

  /** The sessions it minted by access key id, the oldest forgotten first, for GetCallerIdentity. */
  private final Map<String, StsDocuments.Session> sessions =
      Collections.synchronizedMap(
          new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, StsDocuments.Session> eldest) {
              return size() > KEPT_ISSUED;
            }
          });

  private final SecureRandom random = new SecureRandom();
  private final Clock clock;
  private final List<Issued> issued = new CopyOnWriteArrayList<>();
  private final Map<String, OidcProvider> providers = new HashMap<>();
  private volatile StsRules.Account account = StsRules.Account.EMPTY;
  private volatile Optional<CloudTrailStandIn> cloudTrail = Optional.empty();

  public StsStandIn(Clock clock) {
    super(StsRules.NAMESPACE);
    this.clock = clock;
  }

  /** Trusts {@code provider}'s tokens, as an account with that IAM OIDC provider does. */
  public synchronized StsStandIn trust(OidcProvider provider) {
    providers.put(provider.issuer(), provider);
    account = new StsRules.Account(providers, Map.of());
    return this;
  }

  /**
   * Logs each call made with a session it minted to {@code trail}, as CloudTrail logs the calls of
   * an account: what stint's activity lookups then find.
   */
  public StsStandIn logTo(CloudTrailStandIn trail) {
    this.cloudTrail = Optional.of(trail);
    return this;
  }

  public List<Issued> issued() {
    return List.copyOf(issued);
  }

  /**
   * Starts a session of {@code roleArn} named {@code sessionName}, lasting {@code lasts}, as STS
   * does for the AWS access portal ({@link StsDocuments.Session#portal}).
   */
  public StsDocuments.Credentials portalSession(
      String roleArn, String sessionName, Duration lasts) {
    Instant now = clock.instant();
    StsDocuments.Credentials credentials =
        StsDocuments.credentials(random, now.truncatedTo(ChronoUnit.SECONDS).plus(lasts));
    sessions.put(
        credentials.accessKeyId(),
        StsDocuments.Session.portal(credentials, roleArn, sessionName, now));
    issued.add(
        new Issued(
            credentials.accessKeyId(),
            credentials.secretAccessKey(),
            credentials.sessionToken(),
            credentials.expiration()));
    return credentials;
  }

  /** The session {@code accessKeyId} signs as, when this STS minted it: what S3 judges. */
  public Optional<StsDocuments.Session> minted(String accessKeyId) {
    return Optional.ofNullable(sessions.get(accessKeyId));
  }

  @Override
  public Optional<SessionKey> session(String accessKeyId) {
    return Optional.ofNullable(sessions.get(accessKeyId)).map(StsDocuments.Session::key);
  }

  @Override
  protected StandInReply answer(QueryRequest request) {
    if (StsRules.CALLER_IDENTITY.equals(request.param("Action"))) {
      StsRules.Caller caller =
          StsRules.caller(request, key -> Optional.ofNullable(sessions.get(key)), clock.instant());
      if (caller.refusal() != null) {
        return StandInReply.error(caller.refusal(), StsRules.NAMESPACE);
      }
      if (caller.identity() instanceof StsDocuments.AssumedRole role) {
        log(request, role);
      }
      return StandInReply.xml(StsDocuments.callerIdentity(caller.identity()));
    }
    Optional<Refusal> refusal = StsRules.refusal(request, account, clock.instant());
    if (refusal.isPresent()) {
      return StandInReply.error(refusal.get(), StsRules.NAMESPACE);
    }
    StsDocuments.Credentials credentials =
        StsDocuments.credentials(
            random,
            clock.instant().truncatedTo(ChronoUnit.SECONDS).plusSeconds(StsRules.seconds(request)));
    issued.add(
        new Issued(
            credentials.accessKeyId(),
            credentials.secretAccessKey(),
            credentials.sessionToken(),
            credentials.expiration()));
    sessions.put(
        credentials.accessKeyId(),
        StsDocuments.Session.started(request, credentials, clock.instant()));
    if (issued.size() > KEPT_ISSUED) {
      issued.remove(0);
    }
    return StandInReply.xml(StsDocuments.assumed(request, credentials));
  }

  /** A session's call, as CloudTrail records it in the session's account. */
  private void log(QueryRequest request, StsDocuments.AssumedRole role) {
    cloudTrail.ifPresent(
        trail -> {
          String arn = role.arn();
          String[] parts = arn.substring(arn.indexOf(":assumed-role/") + 14).split("/", 2);
          trail.record(
              role.account(),
              CloudTrailEvent.builder("sts.amazonaws.com", request.param("Action"))
                  .time(clock.instant())
                  .region(SigV4.region(request))
                  .accessKeyId(SigV4.accessKeyId(request))
                  .sourceIp("127.0.0.1")
                  .readOnly(true)
                  .assumedRole(parts[0], parts.length > 1 ? parts[1] : "session")
                  .build());
        });
  }
}
