package dev.stint.mint.aws;

import java.util.Comparator;
import java.util.List;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.PolicyVersion;

/**
 * A customer managed policy's versions, within IAM's limit of five: a new document becomes the
 * default version, the oldest version that is not the default deleted first when five are kept (the
 * default is never deleted, so the policy's sessions are never judged without it).
 */
final class PolicyVersions {
  /** IAM keeps at most five versions of a managed policy. */
  static final int MAX_VERSIONS = 5;

  private PolicyVersions() {}

  /** Makes {@code document} policy {@code arn}'s new default version. */
  static void newDefault(IamClient iam, String arn, String document) {
    List<PolicyVersion> versions = iam.listPolicyVersions(b -> b.policyArn(arn)).versions();
    if (versions.size() >= MAX_VERSIONS) {
      versions.stream()
          .filter(v -> !Boolean.TRUE.equals(v.isDefaultVersion()))
          .min(
              Comparator.comparing(PolicyVersion::createDate)
                  .thenComparing(v -> number(v.versionId())))
          .ifPresent(
              oldest ->
                  iam.deletePolicyVersion(b -> b.policyArn(arn).versionId(oldest.versionId())));
    }
    iam.createPolicyVersion(b -> b.policyArn(arn).policyDocument(document).setAsDefault(true));
  }

  private static int number(String versionId) {
    try {
      return Integer.parseInt(versionId.substring(1).split("\\.")[0]);
    } catch (RuntimeException e) {
      return Integer.MAX_VALUE;
    }
  }
}
