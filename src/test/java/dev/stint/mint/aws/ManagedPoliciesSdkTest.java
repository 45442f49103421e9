package dev.stint.mint.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.stint.standin.SigningKeys;
import dev.stint.testing.DenyEvaluator.Session;
import dev.stint.testing.FakeIam;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.DeleteConflictException;
import software.amazon.awssdk.services.iam.model.EntityAlreadyExistsException;
import software.amazon.awssdk.services.iam.model.LimitExceededException;
import software.amazon.awssdk.services.iam.model.MalformedPolicyDocumentException;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.PolicyVersion;

/**
 * The IAM stand-in answers the customer managed policy calls as IAM does, through the real SDK:
 * each refusal becomes the SDK's own exception with IAM's status and words, and a session is judged
 * by the role's attached policies too, {@code StringLike} wildcards on its source identity
 * included.
 */
class ManagedPoliciesSdkTest {
  static final String ARN = "arn:aws:iam::111122223333:policy/stint/p1";
  static final String DENY =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"S\",\"Effect\":\"Deny\","
          + "\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":{\"StringLike\":"
          + "{\"aws:SourceIdentity\":[\"*.grt_revoked\",\"0123456789abcde?.grt_one\"]}}}]}";

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

  @AfterEach
  void stop() {
    iam.close();
    http.close();
    fake.close();
  }

  private void create() {
    iam.createPolicy(b -> b.policyName("p1").path("/stint/").policyDocument(DENY));
  }

  private static void isError(AwsServiceException e, Class<?> type, int status, String code) {
    assertThat(e).isInstanceOf(type);
    assertThat(e.statusCode()).isEqualTo(status);
    assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
  }

  @Test
  void aPolicyIsCreatedVersionedReadAndJudged() {
    create();
    iam.attachRolePolicy(b -> b.roleName("prod-admin").policyArn(ARN));

    assertThat(iam.getPolicy(b -> b.policyArn(ARN)).policy().defaultVersionId()).isEqualTo("v1");
    assertThat(
            iam.listAttachedRolePolicies(b -> b.roleName("prod-admin").pathPrefix("/stint/"))
                .attachedPolicies())
        .singleElement()
        .satisfies(p -> assertThat(p.policyArn()).isEqualTo(ARN));
    Instant now = Instant.now();
    assertThat(fake.denies("prod-admin", session("0123456789abcdef.grt_revoked"), now)).isTrue();
    assertThat(fake.denies("prod-admin", session("0123456789abcdef.grt_one"), now))
        .as("? matches one character")
        .isTrue();
    assertThat(fake.denies("prod-admin", session("0123456789abcdef.grt_other"), now)).isFalse();

    iam.createPolicyVersion(
        b ->
            b.policyArn(ARN)
                .policyDocument(DENY.replace("grt_revoked", "grt_x"))
                .setAsDefault(true));
    assertThat(fake.denies("prod-admin", session("0123456789abcdef.grt_revoked"), now))
        .as("the default version is what counts")
        .isFalse();
    assertThat(iam.listPolicyVersions(b -> b.policyArn(ARN)).versions())
        .extracting(PolicyVersion::versionId)
        .containsExactly("v2", "v1");

    iam.detachRolePolicy(b -> b.roleName("prod-admin").policyArn(ARN));
    assertThat(fake.denies("prod-admin", session("0123456789abcdef.grt_x"), now)).isFalse();
  }

  @Test
  void iamsRefusalsOfManagedPoliciesBecomeTheSdksExceptions() {
    create();
    isError(
        catchThrowableOfType(AwsServiceException.class, this::create),
        EntityAlreadyExistsException.class,
        409,
        "EntityAlreadyExists");
    String large = DENY.replace("*.grt_revoked", "x".repeat(6_144));
    isError(
        catchThrowableOfType(
            AwsServiceException.class,
            () -> iam.createPolicyVersion(b -> b.policyArn(ARN).policyDocument(large))),
        LimitExceededException.class,
        409,
        "LimitExceeded");
    isError(
        catchThrowableOfType(
            AwsServiceException.class,
            () ->
                iam.createPolicy(
                    b -> b.policyName("p2").policyDocument(DENY.replace("Deny", "Dney")))),
        MalformedPolicyDocumentException.class,
        400,
        "MalformedPolicyDocument");
    for (int i = 0; i < 4; i++) {
      iam.createPolicyVersion(b -> b.policyArn(ARN).policyDocument(DENY));
    }
    AwsServiceException sixth =
        catchThrowableOfType(
            AwsServiceException.class,
            () -> iam.createPolicyVersion(b -> b.policyArn(ARN).policyDocument(DENY)));
    isError(sixth, LimitExceededException.class, 409, "LimitExceeded");
    assertThat(sixth.awsErrorDetails().errorMessage()).contains("up to 5 versions");
    isError(
        catchThrowableOfType(
            AwsServiceException.class,
            () -> iam.deletePolicyVersion(b -> b.policyArn(ARN).versionId("v1"))),
        DeleteConflictException.class,
        409,
        "DeleteConflict");
    isError(
        catchThrowableOfType(
            AwsServiceException.class,
            () -> iam.getPolicyVersion(b -> b.policyArn(ARN).versionId("v9"))),
        NoSuchEntityException.class,
        404,
        "NoSuchEntity");
  }

  @Test
  void theAttachmentQuotaAndDeletingWhatIsInUseAreRefused() {
    create();
    for (int i = 0; i < 10; i++) {
      fake.managed()
          .attachDirectly(
              SigningKeys.HOME_ACCOUNT + "/prod-admin", "arn:aws:iam::aws:policy/P" + i);
    }
    AwsServiceException quota =
        catchThrowableOfType(
            AwsServiceException.class,
            () -> iam.attachRolePolicy(b -> b.roleName("prod-admin").policyArn(ARN)));
    isError(quota, LimitExceededException.class, 409, "LimitExceeded");
    assertThat(quota.awsErrorDetails().errorMessage())
        .isEqualTo("Cannot exceed quota for PoliciesPerRole: 10");

    fake.managed().perRole(11);
    iam.attachRolePolicy(b -> b.roleName("prod-admin").policyArn(ARN));
    isError(
        catchThrowableOfType(
            AwsServiceException.class, () -> iam.deletePolicy(b -> b.policyArn(ARN))),
        DeleteConflictException.class,
        409,
        "DeleteConflict");
    iam.detachRolePolicy(b -> b.roleName("prod-admin").policyArn(ARN));
    iam.createPolicyVersion(b -> b.policyArn(ARN).policyDocument(DENY).setAsDefault(true));
    isError(
        catchThrowableOfType(
            AwsServiceException.class, () -> iam.deletePolicy(b -> b.policyArn(ARN))),
        DeleteConflictException.class,
        409,
        "DeleteConflict");
    iam.deletePolicyVersion(b -> b.policyArn(ARN).versionId("v1"));
    iam.deletePolicy(b -> b.policyArn(ARN));
    isError(
        catchThrowableOfType(AwsServiceException.class, () -> iam.getPolicy(b -> b.policyArn(ARN))),
        NoSuchEntityException.class,
        404,
        "NoSuchEntity");
    isError(
        catchThrowableOfType(
            AwsServiceException.class,
            () -> iam.detachRolePolicy(b -> b.roleName("prod-admin").policyArn(ARN))),
        NoSuchEntityException.class,
        404,
        "NoSuchEntity");
    isError(
        catchThrowableOfType(
            AwsServiceException.class,
            () -> iam.listAttachedRolePolicies(b -> b.roleName("nobody"))),
        NoSuchEntityException.class,
        404,
        "NoSuchEntity");
  }

  private static Session session(String source) {
    return new Session(Map.of(), Optional.of(source), Instant.now().minusSeconds(60));
  }
}
