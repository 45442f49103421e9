package dev.stint.mint.aws;

import dev.stint.error.ErrorCode;
import dev.stint.mint.MintException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sts.StsAsyncClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;

/**
 * Which identity reaches the account of a role for the calls stint makes there after minting: IAM
 * (a revocation's deny) and CloudTrail (what a credential did).
 *
 * <p>STS's {@code AssumeRole} works across accounts, so a profile's role may be in any account. IAM
 * and CloudTrail act only in the account of the identity that calls them, and IAM names a role by
 * its name alone: called with stint's own identity for a role in another account, a revocation
 * would write its deny on a same-named role of stint's own account (or find none), and a lookup
 * would find nothing. An account is its partition and its number ({@link AwsAccount}). So, for a
 * role in account X:
 *
 * <ol>
 *   <li>X is stint's own account ({@code sts:GetCallerIdentity}, asked once per access key of
 *       stint's own credentials): stint's own identity;
 *   <li>else, X in another partition than stint's own: out of reach, broker role or not (stint's
 *       identity cannot sign there, so it cannot assume a broker role there either);
 *   <li>else, with {@code aws.broker_role} set, that role in X, assumed with stint's own identity
 *       (its credentials refreshed by the SDK, one provider per account; issuance first checks it
 *       can be assumed there);
 *   <li>else X is out of reach: nothing is written or looked up there, and nothing is issued there.
 * </ol>
 */
public final class AwsAccounts implements AutoCloseable {
  /** The session name of stint's sessions on a broker role, as CloudTrail shows them. */
  static final String BROKER_SESSION = "stint-broker";

  /**
   * How long one successful assumption of an account's broker role vouches for it before issuance
   * checks again: a deleted broker role (or a trust policy that no longer lets stint in) is noticed
   * within this long, at the cost of one STS call per account per period.
   */
  static final Duration BROKER_CHECKED_FOR = Duration.ofMinutes(15);

  /** STS's shortest session: the check's credentials are never used. */
  private static final int BROKER_CHECK_SECONDS = 900;

  private static final Logger LOG = LoggerFactory.getLogger(AwsAccounts.class);

  /** How stint reaches a role's account. */
  public sealed interface Reach {
    /** The role's account. */
    AwsAccount account();

    /** The account of stint's own identity. */
    record Own(AwsAccount account) implements Reach {}

    /** Another account of stint's partition, through its broker role. */
    record Broker(AwsAccount account, String brokerRoleArn) implements Reach {}

    /** Another partition's account, or another account and no broker role is configured. */
    record Unreachable(AwsAccount account, AwsAccount own) implements Reach {
      /** Whether the account is in another partition than stint's, where no broker role helps. */
      public boolean otherPartition() {
        return !account.partition().equals(own.partition());
      }
    }
  }

  private final StsAsyncClient sts;
  private final StsClient brokerSts;
  private final AwsCredentialsProvider own;
  private final Optional<String> brokerRole;

  /** The answer for one access key id of stint's own credentials (asked, or being asked). */
  private record Asked(String accessKeyId, CompletableFuture<AwsAccount> account) {}

  private final AtomicReference<Asked> ownAccount = new AtomicReference<>();

  /** Until when each account's broker role is known to be assumable (successes only). */
  private final Map<AwsAccount, Instant> brokersChecked = new ConcurrentHashMap<>();

  private final Clock clock;

  /** Broker credentials by account, partition included: one provider per account reached. */
  private final Map<AwsAccount, StsAssumeRoleCredentialsProvider> brokers =
      new ConcurrentHashMap<>();

  /**
   * @param sts asks who stint's own identity is
   * @param brokerSts assumes broker roles with stint's own identity (blocking: credentials are
   *     refreshed on the thread of the IAM or CloudTrail call that needs them)
   */
  AwsAccounts(
      StsAsyncClient sts,
      StsClient brokerSts,
      AwsCredentialsProvider own,
      Optional<String> brokerRole) {
    this(sts, brokerSts, own, brokerRole, Clock.systemUTC());
  }

  /**
   * @param clock when a broker role's check stops vouching for its account
   */
  AwsAccounts(
      StsAsyncClient sts,
      StsClient brokerSts,
      AwsCredentialsProvider own,
      Optional<String> brokerRole,
      Clock clock) {
    this.clock = clock;
    this.sts = sts;
    this.brokerSts = brokerSts;
    this.own = own;
    this.brokerRole = brokerRole;
  }

  /**
   * The account of stint's own identity, in the partition of its ARN: asked of STS once per access
   * key, then kept. The key is read from stint's credentials provider at every need (the SDK caches
   * it, so this is cheap after the first load, which may block): the default chain rotates
   * (container credentials, IRSA, a re-read profile) and may come to sign as another account, and
   * an access key id belongs to exactly one account, so a new key is asked about afresh. A failed
   * answer is not kept, so the next need asks again. The future fails with the SDK's exception
   * (anything else is wrapped in one); this method does not throw.
   *
   * <p>Hazard, not closed here: a rotation between this answer and the IAM call that relies on it
   * still signs that call as the new identity.
   */
  public CompletableFuture<AwsAccount> own() {
    String accessKeyId;
    try {
      accessKeyId = own.resolveCredentials().accessKeyId();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(sdk(e, "stint's own AWS credentials could not load"));
    }
    Asked known = ownAccount.get();
    if (known != null
        && known.accessKeyId().equals(accessKeyId)
        && !known.account().isCompletedExceptionally()) {
      return known.account();
    }
    Asked asking = new Asked(accessKeyId, new CompletableFuture<>());
    if (!ownAccount.compareAndSet(known, asking)) {
      return own();
    }
    ask(asking);
    return asking.account();
  }

  /** Asks STS who the identity is, and removes a failed answer from the cache. */
  private void ask(Asked asking) {
    try {
      sts.getCallerIdentity()
          .whenComplete(
              (identity, failed) -> {
                Optional<AwsAccount> account = failed == null ? caller(identity) : Optional.empty();
                if (account.isPresent()) {
                  LOG.info("stint's own AWS identity is {}", identity.arn());
                  asking.account().complete(account.get());
                  return;
                }
                ownAccount.compareAndSet(asking, null);
                asking
                    .account()
                    .completeExceptionally(
                        failed != null
                            ? unwrapped(failed)
                            : SdkClientException.create("GetCallerIdentity named no account"));
              });
    } catch (RuntimeException e) {
      // Not only the SDK's own exceptions: whatever escapes the call (a rejected executor, a bug),
      // the future in the cache must end and leave it, or every later need waits on it forever.
      // Wrapped, so callers keep handling one kind of failure (an STS that could not answer).
      ownAccount.compareAndSet(asking, null);
      asking.account().completeExceptionally(sdk(e, "GetCallerIdentity could not be sent"));
    }
  }

  private static SdkException sdk(RuntimeException e, String what) {
    return e instanceof SdkException already ? already : SdkClientException.create(what, e);
  }

  /** The account and partition of a GetCallerIdentity answer; empty when it names none. */
  private static Optional<AwsAccount> caller(GetCallerIdentityResponse identity) {
    try {
      return Optional.of(AwsAccount.ofCaller(identity.arn(), identity.account()));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /**
   * Whether a session on {@code roleArn} could be revoked: empty when it could, else the account
   * stint cannot reach. STS is asked who stint is even with a broker role configured: a role in
   * another partition than stint's is out of reach either way, and only the answer's ARN names
   * stint's partition.
   */
  public CompletableFuture<Optional<Reach.Unreachable>> unreachable(String roleArn) {
    return own()
        .thenCompose(
            account -> {
              Reach reach = reach(account, roleArn, brokerRole);
              if (reach instanceof Reach.Unreachable u) {
                return CompletableFuture.completedFuture(Optional.of(u));
              }
              return reach instanceof Reach.Broker b
                  ? brokerAssumable(b).thenApply(x -> Optional.<Reach.Unreachable>empty())
                  : CompletableFuture.completedFuture(Optional.<Reach.Unreachable>empty());
            });
  }

  /**
   * Succeeds when stint can assume {@code b}'s broker role now, asked of STS at most once per
   * {@link #BROKER_CHECKED_FOR} and account: a configured broker role is no proof it exists in
   * every account, and without it a revocation there fails. Only successes are kept, so a broker
   * role created after a refusal is seen at the next issuance. Fails with the SDK's exception.
   * Asynchronous (the signed STS client), since it may run on the event loop that completed {@link
   * #own()}.
   */
  private CompletableFuture<Void> brokerAssumable(Reach.Broker b) {
    Instant until = brokersChecked.get(b.account());
    if (until != null && clock.instant().isBefore(until)) {
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<Void> checked = new CompletableFuture<>();
    try {
      sts.assumeRole(
              r ->
                  r.roleArn(b.brokerRoleArn())
                      .roleSessionName(BROKER_SESSION)
                      .durationSeconds(BROKER_CHECK_SECONDS))
          .whenComplete(
              (assumed, failed) -> {
                if (failed == null) {
                  brokersChecked.put(b.account(), clock.instant().plus(BROKER_CHECKED_FOR));
                  checked.complete(null);
                  return;
                }
                LOG.warn(
                    "stint could not assume the broker role {}: issuance there is refused",
                    b.brokerRoleArn());
                checked.completeExceptionally(unwrapped(failed));
              });
    } catch (RuntimeException e) {
      checked.completeExceptionally(sdk(e, "AssumeRole on the broker role could not be sent"));
    }
    return checked;
  }

  /**
   * How stint reaches {@code roleArn}'s account; blocks for stint's own account the first time (run
   * it where blocking is allowed). Fails with the SDK's exception when STS cannot say.
   */
  Reach reachNow(String roleArn) {
    try {
      return reach(own().join(), roleArn, brokerRole);
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }

  /**
   * How stint reaches {@code roleArn}'s account, when its own account is {@code own}: the same
   * twelve digits in another partition are another account, and one no broker role reaches.
   */
  static Reach reach(AwsAccount own, String roleArn, Optional<String> brokerRole) {
    AwsAccount account = AwsAccount.ofRole(roleArn);
    if (account.equals(own)) {
      return new Reach.Own(account);
    }
    if (!account.partition().equals(own.partition())) {
      return new Reach.Unreachable(account, own);
    }
    return brokerRole
        .<Reach>map(
            name ->
                new Reach.Broker(
                    account,
                    "arn:" + account.partition() + ":iam::" + account.id() + ":role/" + name))
        .orElseGet(() -> new Reach.Unreachable(account, own));
  }

  /** The credentials that act in {@code reach}'s account; never for an unreachable one. */
  AwsCredentialsProvider credentials(Reach reach) {
    if (reach instanceof Reach.Own) {
      return own;
    }
    if (!(reach instanceof Reach.Broker b)) {
      throw new IllegalArgumentException("account out of reach");
    }
    return brokers.computeIfAbsent(
        b.account(),
        account ->
            StsAssumeRoleCredentialsProvider.builder()
                .stsClient(brokerSts)
                .refreshRequest(r -> r.roleArn(b.brokerRoleArn()).roleSessionName(BROKER_SESSION))
                .build());
  }

  /**
   * The failure for a revocation or lookup in an account stint cannot reach: an operator must
   * configure {@code aws.broker_role} (and create that role in the account), or, for another
   * partition, run a stint of that partition; so it is not retried.
   */
  static MintException unreachable(Reach.Unreachable u, Function<String, MintException> failure) {
    if (u.otherPartition()) {
      return failure.apply(
          "the role is in the AWS partition "
              + u.account().partition()
              + " (account "
              + u.account().id()
              + "), not that of stint's own identity ("
              + u.own().partition()
              + "), which neither stint's identity nor a broker role can reach");
    }
    return failure.apply(
        "the role is in AWS account "
            + u.account().id()
            + ", not stint's own ("
            + u.own().id()
            + "), and no broker role is configured to reach it (set aws.broker_role)");
  }

  /**
   * The refusal a caller sees when a profile's role is in an account stint cannot reach: a session
   * a revocation could not end is never issued. The accounts go to the log, not to the caller.
   */
  static MintException refusedUnreachable(String profile, Reach.Unreachable u) {
    LOG.warn(
        "refused to issue for profile {}: its role is in AWS account {}, not stint's own ({}), {},"
            + " so a revocation could not reach it",
        profile,
        u.account(),
        u.own(),
        u.otherPartition() ? "in another partition" : "and no aws.broker_role is configured");
    return new MintException(
        ErrorCode.FORBIDDEN,
        "stint cannot issue credentials for profile "
            + profile
            + ": a revocation could not reach its role's AWS account",
        false,
        null);
  }

  private static Throwable unwrapped(Throwable t) {
    return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
  }

  @Override
  public void close() {
    brokers.values().forEach(StsAssumeRoleCredentialsProvider::close);
  }
}
