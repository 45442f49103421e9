package dev.stint.mint.aws;

import dev.stint.error.ErrorCode;
import dev.stint.mint.Blocking;
import dev.stint.mint.MintException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.LimitExceededException;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;

/**
 * Writes stint's customer managed policy in a member account ({@link PortalPolicy}): a new default
 * version holding the document, the oldest version that is not the default deleted first when IAM
 * keeps five, only when the default differs; then reads the default back. The policy is created by
 * the account's administrator (Terraform), never by stint, whose permissions there are the version
 * calls on this one policy. IAM has no conditional write: writes to one policy are serialized in
 * this process, across replicas by the caller (the target's turn), and a read-back that finds
 * another document is written again, up to {@link AwsRevocations#ATTEMPTS} times.
 */
final class PortalRevocations {
  /** What stint's identity needs on the policy, for people reading a refusal. */
  static final String PERMISSIONS =
      "iam:GetPolicy, iam:GetPolicyVersion, iam:ListPolicyVersions, iam:CreatePolicyVersion and"
          + " iam:DeletePolicyVersion on policy"
          + PortalPolicy.REFERENCE;

  private static final Logger LOG = LoggerFactory.getLogger(PortalRevocations.class);

  private final AwsClients clients;
  private final Executor executor;
  private final Map<String, Object> locks = new ConcurrentHashMap<>();

  PortalRevocations(AwsClients clients, Executor executor) {
    this.clients = clients;
    this.executor = executor;
  }

  /**
   * Makes {@code document} the default version of {@code policyArn}. Fails with a {@link
   * MintException}: {@code retryable()} for throttling, conflicts and outages, not for a policy
   * that does not exist or refused permissions (an operator must act).
   */
  CompletableFuture<Void> write(String policyArn, String document) {
    return Blocking.supply(
        executor,
        () -> {
          IamClient iam = clients.iam(reach(policyArn));
          synchronized (locks.computeIfAbsent(policyArn, k -> new Object())) {
            writeNow(iam, policyArn, document);
            return null;
          }
        },
        busy -> MintException.unavailable("AWS IAM", policyArn, busy));
  }

  private AwsAccounts.Reach reach(String policyArn) {
    String[] parts = policyArn.split(":", 6);
    // AwsAccounts reaches an account by one of its roles' ARNs.
    String inAccount = "arn:" + parts[1] + ":iam::" + parts[4] + ":role/stint";
    AwsAccounts.Reach reach;
    try {
      reach = clients.accounts().reachNow(inAccount);
    } catch (SdkException e) {
      throw failure(
          policyArn, "AWS STS would not say which account stint's own identity is in", true, e);
    }
    if (reach instanceof AwsAccounts.Reach.Unreachable u) {
      throw AwsAccounts.unreachable(u, reason -> failure(policyArn, reason, false, null));
    }
    return reach;
  }

  private void writeNow(IamClient iam, String arn, String document) {
    for (int attempt = 1; ; attempt++) {
      try {
        if (RevocationReadBack.unchanged(current(iam, arn), document)) {
          return;
        }
        PolicyVersions.newDefault(iam, arn, document);
        if (RevocationReadBack.unchanged(current(iam, arn), document)) {
          LOG.info(
              "AWS portal revocation denies written to {}: {} characters",
              arn,
              RevocationPolicy.characters(document));
          return;
        }
      } catch (LimitExceededException e) {
        // Another writer made the fifth version between the listing and the creation.
        LOG.warn("AWS policy {} kept five versions while stint wrote (attempt {})", arn, attempt);
      } catch (NoSuchEntityException e) {
        throw failure(
            arn,
            "the customer managed policy "
                + PortalPolicy.REFERENCE
                + " does not exist in the account; create it (docs/clouds.md)",
            false,
            e);
      } catch (SdkException e) {
        MintException generic = AwsErrors.map("IAM CreatePolicyVersion", arn, e);
        String reason =
            generic.retryable()
                ? "AWS IAM is unavailable"
                : generic.code() == ErrorCode.FORBIDDEN
                    ? "AWS refused the change (stint needs " + PERMISSIONS + ")"
                    : generic.misconfiguration().orElse("AWS IAM answered with an error");
        throw failure(arn, reason, generic.retryable(), e);
      }
      if (attempt >= AwsRevocations.ATTEMPTS) {
        throw failure(
            arn, "another writer kept replacing the policy's default version", true, null);
      }
    }
  }

  /** The policy's default version, decoded (IAM returns it URL-encoded). */
  private static Optional<String> current(IamClient iam, String arn) {
    String version = iam.getPolicy(b -> b.policyArn(arn)).policy().defaultVersionId();
    String encoded =
        iam.getPolicyVersion(b -> b.policyArn(arn).versionId(version)).policyVersion().document();
    return Optional.of(URLDecoder.decode(encoded, StandardCharsets.UTF_8));
  }

  static MintException failure(
      String policyArn, String reason, boolean retryable, Throwable cause) {
    return new MintException(
        retryable ? ErrorCode.UPSTREAM_UNAVAILABLE : ErrorCode.INTERNAL,
        "could not write the AWS portal revocation denies to " + policyArn + ": " + reason,
        retryable,
        cause);
  }
}
