package dev.stint.mint.aws;

import dev.stint.error.ErrorCode;
import dev.stint.mint.MintException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sts.StsAsyncClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

/**
 * Which identity reaches the account of a role for the calls stint makes there after minting: IAM
 * (a revocation's deny) and CloudTrail (what a credential did).
 *
 * <p>STS's {@code AssumeRole} works across accounts, so a profile's role may be in any account. IAM
 * and CloudTrail act only in the account of the identity that calls them, and IAM names a role by
 * its name alone: called with stint's own identity for a role in another account, a revocation
 * would write its deny on a same-named role of stint's own account (or find none), and a lookup
 * would find nothing. So, for a role in account X:
 *
 * <ol>
 *   <li>X is stint's own account ({@code sts:GetCallerIdentity}, asked once): stint's own identity;
 *   <li>else, with {@code aws.broker_role} set, that role in X, assumed with stint's own identity
 *       (its credentials refreshed by the SDK, one provider per account);
 *   <li>else X is out of reach: nothing is written or looked up there, and nothing is issued there.
 * </ol>
 */
public final class AwsAccounts implements AutoCloseable {
  /** The session name of stint's sessions on a broker role, as CloudTrail shows them. */
  static final String BROKER_SESSION = "stint-broker";

  private static final Logger LOG = LoggerFactory.getLogger(AwsAccounts.class);
  private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");

  /** How stint reaches a role's account. */
  public sealed interface Reach {
    /** The role's account. */
    String account();

    /** The account of stint's own identity. */
    record Own(String account) implements Reach {}

    /** Another account, through its broker role. */
    record Broker(String account, String brokerRoleArn) implements Reach {}

    /** Another account, and no broker role is configured. */
    record Unreachable(String account, String own) implements Reach {}
  }

  private final StsAsyncClient sts;
  private final StsClient brokerSts;
  private final AwsCredentialsProvider own;
  private final Optional<String> brokerRole;
  private final AtomicReference<CompletableFuture<String>> ownAccount = new AtomicReference<>();
  private final Map<String, StsAssumeRoleCredentialsProvider> brokers = new ConcurrentHashMap<>();

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
    this.sts = sts;
    this.brokerSts = brokerSts;
    this.own = own;
    this.brokerRole = brokerRole;
  }

  /**
   * The account of stint's own identity: asked of STS once, then kept. A failed answer is not kept,
   * so the next need asks again. The future fails with the SDK's exception (anything else the call
   * throws is wrapped in one); this method does not throw.
   */
  public CompletableFuture<String> own() {
    CompletableFuture<String> known = ownAccount.get();
    if (known != null && !known.isCompletedExceptionally()) {
      return known;
    }
    CompletableFuture<String> asking = new CompletableFuture<>();
    if (!ownAccount.compareAndSet(known, asking)) {
      return own();
    }
    try {
      sts.getCallerIdentity()
          .whenComplete(
              (identity, failed) -> {
                if (failed == null
                    && ACCOUNT.matcher(String.valueOf(identity.account())).matches()) {
                  LOG.info("stint's own AWS identity is {}", identity.arn());
                  asking.complete(identity.account());
                  return;
                }
                ownAccount.compareAndSet(asking, null);
                asking.completeExceptionally(
                    failed != null
                        ? unwrapped(failed)
                        : SdkClientException.create("GetCallerIdentity named no account"));
              });
    } catch (RuntimeException e) {
      // Not only the SDK's own exceptions: whatever escapes the call (a rejected executor, a bug),
      // the future in the cache must end and leave it, or every later need waits on it forever.
      // Wrapped, so callers keep handling one kind of failure (an STS that could not answer).
      ownAccount.compareAndSet(asking, null);
      asking.completeExceptionally(
          e instanceof SdkException
              ? e
              : SdkClientException.create("GetCallerIdentity could not be sent", e));
    }
    return asking;
  }

  /**
   * Whether a session on {@code roleArn} could be revoked: empty when it could, else the account
   * stint cannot reach. With a broker role configured every account is reachable, and STS is not
   * asked at all.
   */
  public CompletableFuture<Optional<Reach.Unreachable>> unreachable(String roleArn) {
    if (brokerRole.isPresent()) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    return own()
        .thenApply(
            account ->
                reach(account, roleArn, brokerRole) instanceof Reach.Unreachable u
                    ? Optional.of(u)
                    : Optional.empty());
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

  /** How stint reaches {@code roleArn}'s account, when its own account is {@code own}. */
  static Reach reach(String own, String roleArn, Optional<String> brokerRole) {
    String account = account(roleArn);
    if (account.equals(own)) {
      return new Reach.Own(account);
    }
    return brokerRole
        .<Reach>map(
            name ->
                new Reach.Broker(
                    account, "arn:" + partition(roleArn) + ":iam::" + account + ":role/" + name))
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
   * The account of a role ARN ({@code arn:PARTITION:iam::ACCOUNT:role/NAME}).
   *
   * @throws IllegalArgumentException when it is not an IAM role ARN
   */
  public static String account(String roleArn) {
    String[] parts = roleArn.split(":", 6);
    if (parts.length < 6
        || !"arn".equals(parts[0])
        || !"iam".equals(parts[2])
        || !ACCOUNT.matcher(parts[4]).matches()
        || !parts[5].startsWith("role/")) {
      throw new IllegalArgumentException("not an IAM role ARN");
    }
    return parts[4];
  }

  private static String partition(String roleArn) {
    return roleArn.split(":", 3)[1];
  }

  /**
   * The failure for a revocation or lookup in an account stint cannot reach: an operator must
   * configure {@code aws.broker_role} (and create that role in the account), so it is not retried.
   */
  static MintException unreachable(Reach.Unreachable u, Function<String, MintException> failure) {
    return failure.apply(
        "the role is in AWS account "
            + u.account()
            + ", not stint's own ("
            + u.own()
            + "), and no broker role is configured to reach it (set aws.broker_role)");
  }

  /**
   * The refusal a caller sees when a profile's role is in an account stint cannot reach: a session
   * a revocation could not end is never issued. The accounts go to the log, not to the caller.
   */
  static MintException refusedUnreachable(String profile, Reach.Unreachable u) {
    LOG.warn(
        "refused to issue for profile {}: its role is in AWS account {}, not stint's own ({}),"
            + " and no aws.broker_role is configured, so a revocation could not reach it",
        profile,
        u.account(),
        u.own());
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
