package dev.stint.mint.aws;

import dev.stint.error.ErrorCode;
import dev.stint.mint.MintException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;

/**
 * Why a revocation's denies could not be written, told as the {@link MintException} its caller
 * retries or reports: each names the role, and a refusal names what stint's identity needs.
 */
final class RevocationFailures {
  private RevocationFailures() {}

  /** An IAM call's failure, in a revocation's words. */
  static MintException mapped(
      RoleDenies denies, String roleName, AwsAccounts.Reach reach, SdkException e) {
    MintException generic = AwsErrors.map("IAM policy calls on role " + roleName, roleName, e);
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
            + ", and it needs "
            + AwsRevocations.PERMISSIONS
            + ")"
        : "AWS refused the change (stint needs " + AwsRevocations.PERMISSIONS + ")";
  }

  static MintException failure(
      RoleDenies denies, String reason, boolean retryable, Throwable cause) {
    return new MintException(
        retryable ? ErrorCode.UPSTREAM_UNAVAILABLE : ErrorCode.INTERNAL,
        "could not write the AWS revocation denies on role " + roleName(denies) + ": " + reason,
        retryable,
        cause);
  }

  /** The role's name for messages, or a fixed phrase for an ARN that is not a role's. */
  static String roleName(RoleDenies denies) {
    try {
      return denies.roleName();
    } catch (IllegalArgumentException e) {
      return "(not a role ARN)";
    }
  }
}
