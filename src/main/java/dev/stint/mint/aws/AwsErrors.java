package dev.stint.mint.aws;

import dev.stint.mint.MintException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Cuts AWS failures down to a {@link MintException} a caller may see. The AWS error code, message
 * and request id go to the server log (messages name ARNs and accounts; never credentials); the
 * caller learns only which profile failed and whether trying again may help.
 */
final class AwsErrors {
  private static final Logger LOG = LoggerFactory.getLogger(AwsErrors.class);

  private static final Set<String> THROTTLING =
      Set.of(
          "Throttling",
          "ThrottlingException",
          "RequestLimitExceeded",
          "TooManyRequestsException",
          "IDPCommunicationError",
          "ServiceUnavailable",
          "ServiceFailure",
          "InternalFailure");
  private static final Set<String> OWN_CREDENTIALS =
      Set.of(
          "InvalidClientTokenId",
          "SignatureDoesNotMatch",
          "ExpiredToken",
          "ExpiredTokenException",
          "IncompleteSignature",
          "UnrecognizedClientException",
          "MissingAuthenticationToken");

  private AwsErrors() {}

  /**
   * Maps and logs a failed call; {@code operation} is the AWS API name, {@code profile} the profile
   * (or, for revocations, the grant) the caller-safe detail names.
   */
  static MintException map(String operation, String profile, SdkException e) {
    if (e instanceof AwsServiceException aws) {
      String code = aws.awsErrorDetails() == null ? "" : aws.awsErrorDetails().errorCode();
      LOG.warn(
          "AWS {} for {} failed: status={} code={} request_id={} message={}",
          operation,
          profile,
          aws.statusCode(),
          code,
          aws.requestId(),
          aws.awsErrorDetails() == null ? "" : aws.awsErrorDetails().errorMessage());
      return service(profile, aws, code == null ? "" : code);
    }
    LOG.warn("AWS {} for {} failed without an answer: {}", operation, profile, e.toString());
    return client(profile, e);
  }

  private static MintException service(String profile, AwsServiceException e, String code) {
    String message =
        e.awsErrorDetails() == null || e.awsErrorDetails().errorMessage() == null
            ? ""
            : e.awsErrorDetails().errorMessage().toLowerCase(Locale.ROOT);
    if (e.isThrottlingException() || THROTTLING.contains(code) || e.statusCode() >= 500) {
      return MintException.unavailable("AWS", profile, e);
    }
    if (OWN_CREDENTIALS.contains(code)) {
      return MintException.misconfigured(
          profile, "stint's own AWS credentials were not accepted", e);
    }
    if ("InvalidIdentityToken".equals(code) || "InvalidIdentityTokenException".equals(code)) {
      return MintException.misconfigured(
          profile,
          "AWS did not accept stint's identity token "
              + "(check the role's IAM OIDC provider for stint's issuer)",
          e);
    }
    if ("RegionDisabledException".equals(code) || "RegionDisabled".equals(code)) {
      return MintException.misconfigured(
          profile, "AWS STS is not activated in the configured region (aws.region)", e);
    }
    if (message.contains("maxsessionduration")) {
      return MintException.misconfigured(
          profile,
          "the role's maximum session duration is shorter than the profile's max_duration",
          e);
    }
    if ("PackedPolicyTooLarge".equals(code) || "PackedPolicyTooLargeException".equals(code)) {
      return MintException.misconfigured(
          profile, "the session policy and tags exceed AWS's packed size limit", e);
    }
    return MintException.refused("AWS", profile, e);
  }

  private static MintException client(String profile, SdkException e) {
    if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException) {
      return MintException.unavailable("AWS", profile, e);
    }
    if (hasCause(e, UnknownHostException.class)) {
      return MintException.misconfigured(
          profile,
          "the AWS endpoint cannot be resolved; check aws.region and the aws.*_endpoint settings",
          e);
    }
    String message = e.getMessage() == null ? "" : e.getMessage();
    if (e instanceof SdkClientException && message.contains("Unable to load credentials")) {
      return MintException.misconfigured(
          profile,
          "stint has no AWS credentials of its own (the SDK's default credential chain found none)",
          e);
    }
    if (e instanceof SdkClientException && message.contains("Unable to load region")) {
      return MintException.misconfigured(profile, "no AWS region is configured (aws.region)", e);
    }
    return MintException.unavailable("AWS", profile, e);
  }

  private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }
}
