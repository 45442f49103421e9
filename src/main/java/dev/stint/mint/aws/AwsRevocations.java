package dev.stint.mint.aws;

import dev.stint.error.ErrorCode;
import dev.stint.mint.Blocking;
import dev.stint.mint.MintException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.ConcurrentModificationException;
import software.amazon.awssdk.services.iam.model.LimitExceededException;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;

/**
 * Ends live AWS sessions of revoked grants (ARCHITECTURE §7): writes a role's stint-managed inline
 * policy {@code stint-revocations} so that it holds exactly the {@link RoleDenies} stint recorded
 * for the role, beside whatever others wrote there, with {@code PutRolePolicy}.
 *
 * <p>IAM has no conditional write, so a read-modify-write can lose a concurrent one: writes for one
 * role are serialized in this process, across replicas by the caller, and every write is read back
 * and redone (up to {@link #ATTEMPTS} times) when another writer's version replaced it. The
 * read-back alone cannot catch a writer that replaces ours after we read it back; only the caller's
 * serialization prevents that.
 */
public final class AwsRevocations {
  /** What became of a write. */
  public sealed interface Written {
    /** IAM holds the denies; {@code characters} is the document's size as IAM counts it. */
    record Applied(int characters, int earlierKept) implements Written {}

    /**
     * The denies do not fit IAM's limit: the document alone ({@code byIam} false, nothing was sent)
     * or with the role's other inline policies (IAM refused it). {@code latestEarlier} is the
     * latest end of the earlier per-hour statements still in force: a cutoff meant to stand for
     * them must last as long.
     */
    record TooLarge(int characters, boolean byIam, Optional<Instant> latestEarlier)
        implements Written {}
  }

  static final int ATTEMPTS = 3;
  private static final Logger LOG = LoggerFactory.getLogger(AwsRevocations.class);

  private final AwsClients clients;
  private final Executor executor;
  private final Clock clock;
  private final Map<String, Object> roleLocks = new ConcurrentHashMap<>();

  public AwsRevocations(AwsClients clients, Executor executor, Clock clock) {
    this.clients = clients;
    this.executor = executor;
    this.clock = clock;
  }

  /**
   * Writes the role's denies. A document too large for IAM is an answer, not a failure, so the
   * caller can widen the deny. The future fails with a {@link MintException}: {@code retryable()}
   * for throttling, conflicts and outages, not for a role that does not exist or refused
   * permissions (an operator must act).
   */
  public CompletableFuture<Written> write(RoleDenies denies) {
    return Blocking.supply(
        executor,
        () -> {
          String roleName;
          AwsAccounts.Reach reach;
          try {
            roleName = denies.roleName();
            reach = reach(denies);
          } catch (IllegalArgumentException e) {
            throw failure(denies, "the role ARN is not an IAM role ARN", false, e);
          }
          synchronized (roleLocks.computeIfAbsent(denies.roleArn(), k -> new Object())) {
            return writeNow(roleName, denies, clients.iam(reach), reach);
          }
        },
        busy -> MintException.unavailable("AWS IAM", denies.roleArn(), busy));
  }

  /**
   * The role's own account, reached with stint's identity or the account's broker role: IAM names a
   * role by name alone, so the deny is written only with an identity of the role's account, never
   * on a same-named role of stint's own.
   */
  private AwsAccounts.Reach reach(RoleDenies denies) {
    AwsAccounts.Reach reach;
    try {
      reach = clients.accounts().reachNow(denies.roleArn());
    } catch (SdkException e) {
      MintException generic = AwsErrors.map("GetCallerIdentity", roleName(denies), e);
      throw failure(
          denies,
          generic
              .misconfiguration()
              .orElse(
                  generic.retryable()
                      ? "AWS STS is unavailable (stint's own account is not known yet)"
                      : "AWS STS would not say which account stint's own identity is in"),
          generic.retryable(),
          e);
    }
    if (reach instanceof AwsAccounts.Reach.Unreachable u) {
      MintException e = AwsAccounts.unreachable(u, reason -> failure(denies, reason, false, null));
      LOG.error("AWS revocation denies cannot be written: {}", e.detail());
      throw e;
    }
    return reach;
  }

  private Written writeNow(
      String roleName, RoleDenies denies, IamClient iam, AwsAccounts.Reach reach) {
    for (int attempt = 1; ; attempt++) {
      try {
        Optional<Written> written = attempt(iam, roleName, denies);
        if (written.isPresent()) {
          return written.get();
        }
        LOG.warn(
            "AWS revocation denies on role {} were replaced by a concurrent write"
                + " (attempt {})",
            roleName,
            attempt);
        if (attempt >= ATTEMPTS) {
          throw failure(denies, "another writer kept replacing the revocation policy", true, null);
        }
      } catch (ConcurrentModificationException e) {
        if (attempt >= ATTEMPTS) {
          throw failure(denies, "IAM reported concurrent changes to the role", true, e);
        }
      } catch (IllegalStateException e) {
        LOG.error(
            "AWS revocation denies on role {} cannot be written: {}", roleName, e.getMessage());
        throw failure(denies, e.getMessage(), false, e);
      } catch (SdkException e) {
        throw mapped(denies, roleName, reach, e);
      }
    }
  }

  /**
   * One read, render, write and read-back. Empty when another writer's version replaced ours before
   * the read-back (try again).
   */
  private Optional<Written> attempt(IamClient iam, String roleName, RoleDenies denies) {
    Optional<String> existing = read(iam, roleName);
    RevocationPolicy.Rendered rendered = RevocationPolicy.render(existing, denies, clock.instant());
    if (rendered.characters() > RevocationPolicy.MAX_CHARS) {
      return Optional.of(
          new Written.TooLarge(rendered.characters(), false, rendered.latestEarlier()));
    }
    Written.Applied applied = new Written.Applied(rendered.characters(), rendered.earlierKept());
    if (RevocationPolicy.unchanged(existing, rendered.document())) {
      // Another revocation's write already holds these denies: most of a backlog ends here.
      return Optional.of(applied);
    }
    try {
      iam.putRolePolicy(
          b ->
              b.roleName(roleName)
                  .policyName(RevocationPolicy.NAME)
                  .policyDocument(rendered.document()));
    } catch (LimitExceededException e) {
      return Optional.of(
          new Written.TooLarge(rendered.characters(), true, rendered.latestEarlier()));
    }
    if (read(iam, roleName).filter(d -> RevocationPolicy.covers(d, denies)).isEmpty()) {
      return Optional.empty();
    }
    LOG.info(
        "AWS revocation denies written on role {}: {} grants, cutoff {}, {} characters",
        roleName,
        denies.grants().size(),
        denies.cutoff().isPresent(),
        rendered.characters());
    return Optional.of(applied);
  }

  /** The current document, decoded (IAM returns it URL-encoded); empty when there is none. */
  private static Optional<String> read(IamClient iam, String roleName) {
    try {
      String encoded =
          iam.getRolePolicy(b -> b.roleName(roleName).policyName(RevocationPolicy.NAME))
              .policyDocument();
      return Optional.of(URLDecoder.decode(encoded, StandardCharsets.UTF_8));
    } catch (NoSuchEntityException e) {
      return Optional.empty();
    }
  }

  private static MintException mapped(
      RoleDenies denies, String roleName, AwsAccounts.Reach reach, SdkException e) {
    MintException generic =
        AwsErrors.map("GetRolePolicy/PutRolePolicy on role " + roleName, roleName, e);
    if (e instanceof NoSuchEntityException
        || e instanceof AwsServiceException aws
            && aws.awsErrorDetails() != null
            && "NoSuchEntity".equals(aws.awsErrorDetails().errorCode())) {
      return failure(denies, "the role does not exist", false, e);
    }
    String reason =
        generic.retryable()
            ? "AWS IAM is unavailable"
            : generic.code() == ErrorCode.FORBIDDEN
                ? refusedChange(reach)
                // The mapping speaks of issuing for a profile; a revocation names its role itself.
                : generic.misconfiguration().orElse("AWS IAM answered with an error");
    return failure(denies, reason, generic.retryable(), e);
  }

  private static String refusedChange(AwsAccounts.Reach reach) {
    return reach instanceof AwsAccounts.Reach.Broker b
        ? "AWS refused the change (stint must be able to assume the broker role "
            + b.brokerRoleArn()
            + ", and it needs iam:GetRolePolicy and iam:PutRolePolicy)"
        : "AWS refused the change (stint needs iam:GetRolePolicy and iam:PutRolePolicy)";
  }

  private static MintException failure(
      RoleDenies denies, String reason, boolean retryable, Throwable cause) {
    return new MintException(
        retryable ? ErrorCode.UPSTREAM_UNAVAILABLE : ErrorCode.INTERNAL,
        "could not write the AWS revocation denies on role " + roleName(denies) + ": " + reason,
        retryable,
        cause);
  }

  /** The role's name for messages, or a fixed phrase for an ARN that is not a role's. */
  private static String roleName(RoleDenies denies) {
    try {
      return denies.roleName();
    } catch (IllegalArgumentException e) {
      return "(not a role ARN)";
    }
  }
}
