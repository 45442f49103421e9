package dev.stint.mint.aws;

import dev.stint.error.ErrorCode;
import dev.stint.mint.Blocking;
import dev.stint.mint.MintException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
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
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;

/**
 * Ends live AWS sessions of a revoked grant (ARCHITECTURE §7): reads the role's stint-managed
 * inline policy {@code stint-revocations}, adds the grant to the denies on its {@code stint:grant}
 * tag and its source identity, prunes denies no live session needs, and writes it back with
 * {@code PutRolePolicy}.
 *
 * <p>IAM has no conditional write, so a read-modify-write can lose a concurrent one: writes for
 * one role are serialized in this process, across replicas by the outbox's turns (the caller's
 * part), and every write is read back and redone (up to {@link #ATTEMPTS} times) when another
 * writer's version replaced it. The read-back alone cannot catch a writer that replaces ours
 * after we read it back; only the turns prevent that.
 */
public final class AwsRevocations {
  /** The outcome: how many stint denies the policy now holds and how many were pruned. */
  public record Result(int liveStatements, int pruned) {}

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
   * Writes the deny. The future fails with a {@link MintException}: {@code retryable()} for
   * throttling, conflicts and outages (record it and try again), not for a role that does not
   * exist, a policy at IAM's size limit or refused permissions (an operator must act).
   */
  public CompletableFuture<Result> revoke(AwsRevocation revocation) {
    return Blocking.supply(executor, () -> {
      String roleName;
      try {
        roleName = revocation.roleName();
      } catch (IllegalArgumentException e) {
        throw failure(revocation, "the role ARN is not an IAM role ARN", false, e);
      }
      synchronized (roleLocks.computeIfAbsent(revocation.roleArn(), k -> new Object())) {
        return revokeNow(roleName, revocation);
      }
    }, busy -> MintException.unavailable("AWS IAM", revocation.grantId(), busy));
  }

  private Result revokeNow(String roleName, AwsRevocation revocation) {
    IamClient iam = clients.iam();
    for (int attempt = 1; ; attempt++) {
      try {
        RevocationPolicy.Merged merged = RevocationPolicy.merge(
            read(iam, roleName), revocation, clock.instant());
        iam.putRolePolicy(b -> b.roleName(roleName).policyName(RevocationPolicy.NAME)
            .policyDocument(merged.document()));
        if (read(iam, roleName).filter(d -> RevocationPolicy.covers(d, revocation)).isPresent()) {
          LOG.info("AWS revocation written for grant {} on role {}: {} live denies, {} pruned",
              revocation.grantId(), roleName, merged.live(), merged.pruned());
          return new Result(merged.live(), merged.pruned());
        }
        LOG.warn("AWS revocation for grant {} on role {} was replaced by a concurrent write "
            + "(attempt {})", revocation.grantId(), roleName, attempt);
        if (attempt >= ATTEMPTS) {
          throw failure(revocation, "another writer kept replacing the revocation policy", true, null);
        }
      } catch (ConcurrentModificationException e) {
        if (attempt >= ATTEMPTS) {
          throw failure(revocation, "IAM reported concurrent changes to the role", true, e);
        }
      } catch (IllegalStateException e) {
        LOG.error("AWS revocation for grant {} on role {} cannot be written: {}",
            revocation.grantId(), roleName, e.getMessage());
        throw failure(revocation, e.getMessage(), false, e);
      } catch (SdkException e) {
        throw mapped(revocation, roleName, e);
      }
    }
  }

  /** The current document, decoded (IAM returns it URL-encoded); empty when there is none. */
  private static Optional<String> read(IamClient iam, String roleName) {
    try {
      String encoded = iam.getRolePolicy(b -> b.roleName(roleName)
          .policyName(RevocationPolicy.NAME)).policyDocument();
      return Optional.of(URLDecoder.decode(encoded, StandardCharsets.UTF_8));
    } catch (NoSuchEntityException e) {
      return Optional.empty();
    }
  }

  private static MintException mapped(AwsRevocation revocation, String roleName, SdkException e) {
    MintException generic = AwsErrors.map("GetRolePolicy/PutRolePolicy on role " + roleName,
        revocation.grantId(), e);
    if (e instanceof NoSuchEntityException || e instanceof AwsServiceException aws
        && aws.awsErrorDetails() != null && "NoSuchEntity".equals(aws.awsErrorDetails().errorCode())) {
      return failure(revocation, "the role does not exist", false, e);
    }
    String reason = generic.retryable() ? "AWS IAM is unavailable"
        : generic.code() == ErrorCode.FORBIDDEN
            ? "AWS refused the change (stint needs iam:GetRolePolicy and iam:PutRolePolicy)"
            // The mapping speaks of issuing for a profile; a revocation names its grant itself.
            : generic.misconfiguration().orElse("AWS IAM answered with an error");
    return failure(revocation, reason, generic.retryable(), e);
  }

  private static MintException failure(AwsRevocation revocation, String reason, boolean retryable,
      Throwable cause) {
    return new MintException(retryable ? ErrorCode.UPSTREAM_UNAVAILABLE : ErrorCode.INTERNAL,
        "could not write the AWS revocation for grant " + revocation.grantId() + ": " + reason,
        retryable, cause);
  }
}
