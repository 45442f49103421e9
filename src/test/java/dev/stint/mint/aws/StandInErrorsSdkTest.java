package dev.stint.mint.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.stint.testing.FakeIam;
import dev.stint.testing.FakeSts;
import dev.stint.testing.TestJwtSigner;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.IamException;
import software.amazon.awssdk.services.iam.model.LimitExceededException;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.PutRolePolicyRequest;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;
import software.amazon.awssdk.services.sts.model.AssumeRoleWithWebIdentityRequest;
import software.amazon.awssdk.services.sts.model.ExpiredTokenException;
import software.amazon.awssdk.services.sts.model.InvalidIdentityTokenException;
import software.amazon.awssdk.services.sts.model.MalformedPolicyDocumentException;
import software.amazon.awssdk.services.sts.model.PackedPolicyTooLargeException;
import software.amazon.awssdk.services.sts.model.StsException;

/**
 * The real SDK clients parse the stand-ins' refusals into the exceptions and codes they parse from
 * AWS: each modelled error becomes its own exception class, the rest a service exception carrying
 * AWS's code and status (which is what {@code AwsErrors} reads).
 */
class StandInErrorsSdkTest {
  static final String ROLE = "arn:aws:iam::111122223333:role/prod-admin";
  static final String POLICY =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"*\","
          + "\"Resource\":\"*\"}]}";
  static final String DENY_DOCUMENT =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"S1\",\"Effect\":\"Deny\","
          + "\"Action\":\"*\",\"Resource\":\"*\"}]}";

  private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  private final Clock clock = Clock.fixed(now, ZoneOffset.UTC);
  private final TestJwtSigner stint = new TestJwtSigner(clock);
  private final FakeSts sts = new FakeSts(clock).trust(stint.awsProvider());
  private final FakeIam iam = new FakeIam().createRole("prod-admin");
  private final SdkHttpClient http = Apache5HttpClient.create();

  @AfterEach
  void stop() {
    http.close();
    sts.close();
    iam.close();
  }

  private StsClient sts(AwsCredentialsProvider credentials) {
    return StsClient.builder()
        .httpClient(http)
        .endpointOverride(sts.uri())
        .region(Region.EU_WEST_1)
        .credentialsProvider(credentials)
        .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
        .build();
  }

  private IamClient iam(Region signingRegion) {
    return IamClient.builder()
        .httpClient(http)
        .endpointOverride(iam.uri())
        .region(signingRegion)
        .credentialsProvider(AwsMinterTest.STINT_IDENTITY)
        .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
        .build();
  }

  private AwsServiceException assumeRole(
      AwsCredentialsProvider credentials, Consumer<AssumeRoleRequest.Builder> request) {
    AssumeRoleRequest.Builder b =
        AssumeRoleRequest.builder().roleArn(ROLE).roleSessionName("jane").policy(POLICY);
    request.accept(b);
    try (StsClient client = sts(credentials)) {
      return catchThrowableOfType(AwsServiceException.class, () -> client.assumeRole(b.build()));
    }
  }

  private AwsServiceException webIdentity(String token) {
    try (StsClient client = sts(AnonymousCredentialsProvider.create())) {
      return catchThrowableOfType(
          AwsServiceException.class,
          () ->
              client.assumeRoleWithWebIdentity(
                  AssumeRoleWithWebIdentityRequest.builder()
                      .roleArn(ROLE)
                      .roleSessionName("jane")
                      .webIdentityToken(token)
                      .build()));
    }
  }

  private static void isError(AwsServiceException e, Class<?> type, int status, String code) {
    assertThat(e).isInstanceOf(type);
    assertThat(e.statusCode()).isEqualTo(status);
    assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
    assertThat(e.requestId()).isNotBlank();
  }

  @Test
  void stsRefusalsBecomeTheSdksExceptions() {
    isError(
        assumeRole(AnonymousCredentialsProvider.create(), b -> {}),
        StsException.class,
        403,
        "MissingAuthenticationToken");
    isError(
        assumeRole(AwsMinterTest.STINT_IDENTITY, b -> b.roleArn(null)),
        StsException.class,
        400,
        "ValidationError");
    isError(
        assumeRole(AwsMinterTest.STINT_IDENTITY, b -> b.policy(POLICY.replace("Deny", "Dney"))),
        MalformedPolicyDocumentException.class,
        400,
        "MalformedPolicyDocument");
    isError(
        assumeRole(
            AwsMinterTest.STINT_IDENTITY,
            b ->
                b.policy(
                        POLICY.replace("\"Deny\"", "\"Deny\"" + " ".repeat(2040 - POLICY.length())))
                    .policyArns(p -> p.arn("arn:aws:iam::aws:policy/ReadOnlyAccess"))),
        PackedPolicyTooLargeException.class,
        400,
        "PackedPolicyTooLarge");
    sts.maxSessionDuration(ROLE, Duration.ofHours(1));
    AwsServiceException tooLong =
        assumeRole(AwsMinterTest.STINT_IDENTITY, b -> b.durationSeconds(7200));
    isError(tooLong, StsException.class, 400, "ValidationError");
    assertThat(tooLong.awsErrorDetails().errorMessage()).contains("MaxSessionDuration");
    assertThat(sts.issued()).isEmpty();
  }

  @Test
  void webIdentityRefusalsBecomeTheSdksExceptions() {
    isError(
        webIdentity(new TestJwtSigner(clock).token("sts.amazonaws.com", "profile:p", Map.of())),
        InvalidIdentityTokenException.class,
        400,
        "InvalidIdentityToken");
    TestJwtSigner earlier = new TestJwtSigner(Clock.offset(clock, Duration.ofMinutes(-10)));
    sts.trust(earlier.awsProvider());
    isError(
        webIdentity(earlier.token("sts.amazonaws.com", "profile:p", Map.of())),
        ExpiredTokenException.class,
        400,
        "ExpiredTokenException");
  }

  @Test
  void iamRefusalsBecomeTheSdksExceptions() {
    try (IamClient client = iam(Region.US_EAST_1)) {
      PutRolePolicyRequest put =
          PutRolePolicyRequest.builder()
              .roleName("prod-admin")
              .policyName("stint-revocations")
              .policyDocument(DENY_DOCUMENT)
              .build();
      client.putRolePolicy(put);
      isError(
          catchThrowableOfType(
              AwsServiceException.class,
              () ->
                  client.putRolePolicy(
                      put.toBuilder()
                          .policyDocument(DENY_DOCUMENT.replace("Deny", "Dney"))
                          .build())),
          // qualified: IAM's exception of the name STS's (imported) has
          software.amazon.awssdk.services.iam.model.MalformedPolicyDocumentException.class,
          400,
          "MalformedPolicyDocument");
      isError(
          catchThrowableOfType(
              AwsServiceException.class,
              () ->
                  client.putRolePolicy(
                      put.toBuilder()
                          .policyDocument(DENY_DOCUMENT.replace("S1", "S" + "1".repeat(10_240)))
                          .build())),
          LimitExceededException.class,
          409,
          "LimitExceeded");
      isError(
          catchThrowableOfType(
              AwsServiceException.class,
              () -> client.putRolePolicy(put.toBuilder().roleName("no-such-role").build())),
          NoSuchEntityException.class,
          404,
          "NoSuchEntity");
    }
    try (IamClient client = iam(Region.EU_WEST_1)) {
      isError(
          catchThrowableOfType(
              AwsServiceException.class,
              () -> client.getRolePolicy(b -> b.roleName("prod-admin").policyName("x"))),
          IamException.class,
          403,
          "SignatureDoesNotMatch");
    }
  }
}
