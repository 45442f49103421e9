package dev.stint.mint.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.testing.FakeIam;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.PolicyVersion;

/**
 * stint's customer managed policies on one role, through the real SDK against the IAM stand-in
 * (which keeps IAM's limit of five versions a policy): a slot written often keeps its latest
 * versions, and only stint's own policies are read as its denies or removed when empty, never
 * another policy under the same path.
 */
class ManagedRevocationsTest {
  static final String ROLE = "arn:aws:iam::111122223333:role/prod-admin";
  static final String OPERATORS = "arn:aws:iam::111122223333:policy/stint/operators-extra";

  private final FakeIam fake = new FakeIam().createRole("prod-admin");
  private final SdkHttpClient http = Apache5HttpClient.create();
  private final IamClient iam =
      IamClient.builder()
          .httpClient(http)
          .endpointOverride(fake.uri())
          .region(Region.US_EAST_1)
          .credentialsProvider(AwsMinterTest.STINT_IDENTITY)
          .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
          .build();
  private final ManagedRevocations managed = new ManagedRevocations(iam, ROLE, "prod-admin");

  @AfterEach
  void stop() {
    iam.close();
    http.close();
    fake.close();
  }

  private static String deny(String grant) {
    return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"StintGrantSources\","
        + "\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":{\"StringLike\":"
        + "{\"aws:SourceIdentity\":[\"*."
        + grant
        + "\"]}}}]}";
  }

  @Test
  void aSlotWrittenOftenKeepsItsLatestFiveVersionsTheNewestTheDefault() {
    managed.write(1, deny("grt_v1"), false);
    for (int i = 2; i <= 7; i++) {
      managed.write(1, deny("grt_v" + i), true);
    }

    String arn = managed.arn(1);
    assertThat(iam.listPolicyVersions(b -> b.policyArn(arn)).versions())
        .extracting(PolicyVersion::versionId)
        .containsExactlyInAnyOrder("v3", "v4", "v5", "v6", "v7");
    assertThat(managed.document(arn)).contains(deny("grt_v7"));
    assertThat(managed.attached()).containsExactly(arn);
  }

  @Test
  void anotherPolicyUnderStintsPathIsNeitherReadAsADenyNorRemoved() {
    iam.createPolicy(
        b -> b.policyName("operators-extra").path("/stint/").policyDocument(deny("grt_ops")));
    iam.attachRolePolicy(b -> b.roleName("prod-admin").policyArn(OPERATORS));
    managed.write(1, deny("grt_one"), false);
    managed.write(2, deny("grt_two"), false);
    Set<String> attached = managed.attached();
    assertThat(attached).containsExactlyInAnyOrder(OPERATORS, managed.arn(1), managed.arn(2));

    assertThat(managed.documents(attached))
        .containsExactlyInAnyOrder(deny("grt_one"), deny("grt_two"));

    assertThat(managed.removeAllBut(attached, Set.of(managed.arn(1), OPERATORS)))
        .as("slot 2 holds no deny now")
        .isTrue();
    assertThat(managed.attached()).containsExactlyInAnyOrder(OPERATORS, managed.arn(1));
    assertThat(managed.removeAllBut(managed.attached(), Set.of(managed.arn(1))))
        .as("the operators' policy is not stint's to remove")
        .isFalse();
    assertThat(managed.attached()).containsExactlyInAnyOrder(OPERATORS, managed.arn(1));
  }
}
