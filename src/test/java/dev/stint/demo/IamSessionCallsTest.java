package dev.stint.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.stint.standin.CloudTrailEvent;
import dev.stint.testing.MutableClock;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.IamException;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * The demo's IAM answers a session's {@code iam:CreateAccessKey} through the real AWS SDK as IAM
 * does, and records each such call as CloudTrail does: refused with {@code AccessDenied} in IAM's
 * words when the role's policies allow no IAM call (the demo roles'), {@code ValidationError} when
 * a role session names no user, {@code NoSuchEntity} when allowed (the stand-in has no users); each
 * an IAM management event in {@code us-east-1} with the session's key and the error, what the
 * finding {@code escape} reads.
 */
class IamSessionCallsTest {
  private static final String ROLE = "arn:aws:iam::111122223333:role/demo-reader";
  private static final AwsCredentialsProvider STINT =
      StaticCredentialsProvider.create(
          AwsBasicCredentials.create("AKIASTINTTESTKEY0001", "stint-test-secret"));

  private final MutableClock clock =
      new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
  private final StsStandIn sts = new StsStandIn(clock);
  private final List<Map.Entry<String, CloudTrailEvent>> trail = new CopyOnWriteArrayList<>();
  private final IamStandIn iam =
      new IamStandIn()
          .signedBy(sts)
          .createRole("demo-reader")
          .putRolePolicy("demo-reader", DemoBucket.POLICY_NAME, DemoBucket.POLICY)
          .sessionCalls(sts::minted, (account, event) -> trail.add(Map.entry(account, event)));
  private final SdkHttpClient http = Apache5HttpClient.create();

  @AfterEach
  void stop() {
    http.close();
    iam.close();
    sts.close();
  }

  @Test
  void aSessionWhosePoliciesAllowNoIamCallIsRefusedAndTheAttemptRecorded() {
    Credentials c = session();

    IamException refused =
        catchThrowableOfType(
            IamException.class, () -> iam(c).createAccessKey(b -> b.userName("agent-backdoor")));

    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
    assertThat(refused.awsErrorDetails().errorMessage())
        .isEqualTo(
            "User: arn:aws:sts::111122223333:assumed-role/demo-reader/alice is not authorized to"
                + " perform: iam:CreateAccessKey on resource: user agent-backdoor because no"
                + " identity-based policy allows the iam:CreateAccessKey action");
    assertThat(trail).hasSize(1);
    assertThat(trail.get(0).getKey()).isEqualTo("111122223333");
    JsonObject record = trail.get(0).getValue().record("111122223333");
    assertThat(record.getString("eventSource")).isEqualTo("iam.amazonaws.com");
    assertThat(record.getString("eventName")).isEqualTo("CreateAccessKey");
    assertThat(record.getString("awsRegion")).isEqualTo("us-east-1");
    assertThat(record.getString("errorCode")).isEqualTo("AccessDenied");
    assertThat(record.getBoolean("readOnly")).isFalse();
    assertThat(record.getJsonObject("userIdentity").getString("accessKeyId"))
        .isEqualTo(c.accessKeyId());
    assertThat(record.getJsonObject("requestParameters").getString("userName"))
        .isEqualTo("agent-backdoor");
  }

  @Test
  void aRoleSessionMustNameTheUserAndAnAllowedCallFindsNoUser() {
    Credentials c = session();
    IamException unnamed =
        catchThrowableOfType(IamException.class, () -> iam(c).createAccessKey(b -> {}));
    assertThat(unnamed.awsErrorDetails().errorCode()).isEqualTo("ValidationError");

    iam.putRolePolicy(
        "demo-reader",
        "iam-admin",
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Action\":\"iam:*\",\"Resource\":\"*\"}]}");
    IamException missing =
        catchThrowableOfType(
            IamException.class, () -> iam(c).createAccessKey(b -> b.userName("nobody")));

    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.awsErrorDetails().errorCode()).isEqualTo("NoSuchEntity");
    assertThat(trail)
        .extracting(e -> e.getValue().errorCode())
        .containsExactly("ValidationError", "NoSuchEntity");
  }

  private Credentials session() {
    try (StsClient client =
        StsClient.builder()
            .httpClient(http)
            .endpointOverride(sts.uri())
            .region(Region.US_EAST_1)
            .credentialsProvider(STINT)
            .build()) {
      return client
          .assumeRole(
              b -> b.roleArn(ROLE).roleSessionName("alice").sourceIdentity("0123abcd.lse_1"))
          .credentials();
    }
  }

  private IamClient iam(Credentials c) {
    return IamClient.builder()
        .httpClient(http)
        .endpointOverride(iam.uri())
        .region(Region.US_EAST_1)
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsSessionCredentials.create(
                    c.accessKeyId(), c.secretAccessKey(), c.sessionToken())))
        .build();
  }
}
