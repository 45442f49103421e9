package dev.stint.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stint.common.ParameterValues;
import dev.stint.policy.PolicyLoader;
import dev.stint.policy.Profile;
import dev.stint.standin.S3StandIn;
import dev.stint.standin.SigningKeys;
import dev.stint.testing.MutableClock;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.function.Consumer;
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
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * The demo's S3 through the real AWS SDK: sessions the STS stand-in minted read the demo buckets as
 * the role's policy in the IAM stand-in allows, and are refused with {@code AccessDenied} by what
 * stint writes to revoke them (a source identity pattern, a role-wide issue-time cutoff, a deny in
 * one of stint's managed policies), by a session policy that does not allow the call (the demo's
 * narrowed profile, filled for the other bucket) or has ended, and by a deny it cannot decide;
 * unknown callers, buckets and keys get S3's own errors.
 */
class S3StandInTest {
  private static final String ROLE = "arn:aws:iam::111122223333:role/demo-admin";
  private static final AwsCredentialsProvider STINT =
      StaticCredentialsProvider.create(
          AwsBasicCredentials.create("AKIASTINTTESTKEY0001", "stint-test-secret"));

  private final MutableClock clock =
      new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
  private final StsStandIn sts = new StsStandIn(clock);
  private final IamStandIn iam =
      new IamStandIn()
          .signedBy(sts)
          .createRole("demo-admin")
          .putRolePolicy("demo-admin", DemoBucket.POLICY_NAME, DemoBucket.POLICY);
  private final S3StandIn s3 =
      new S3StandIn(sts::minted, SigningKeys.HOME_ACCOUNT, iam::documents, clock);
  private final SdkHttpClient http = Apache5HttpClient.create();

  S3StandInTest() {
    DemoBucket.fill(s3);
  }

  @AfterEach
  void stop() {
    http.close();
    s3.close();
    iam.close();
    sts.close();
  }

  @Test
  void theRolesPolicyLetsASessionListAndReadTheDemoBucket() {
    S3Client s3 = s3(session("grt_1", b -> {}));

    assertThat(s3.listBuckets().buckets())
        .extracting(b -> b.name())
        .containsExactly("stint-demo", "stint-demo-archive");
    var listed = s3.listObjectsV2(b -> b.bucket("stint-demo").delimiter("/"));
    assertThat(listed.contents()).extracting(S3Object::key).containsExactly("hello.txt");
    assertThat(listed.commonPrefixes()).extracting(p -> p.prefix()).containsExactly("reports/");
    assertThat(s3.getObjectAsBytes(b -> b.bucket("stint-demo").key("reports/on-call.csv")))
        .extracting(r -> r.asUtf8String())
        .isEqualTo("week,pages\n48,3\n");
    assertThat(s3.headObject(b -> b.bucket("stint-demo").key("hello.txt")).contentLength())
        .isPositive();
  }

  @Test
  void aRevokedGrantsSourceIdentityIsDeniedAndAnotherGrantIsNot() {
    S3Client revoked = s3(session("grt_1", b -> {}));
    S3Client kept = s3(session("grt_2", b -> {}));
    listsTheBucket(revoked);

    iam.putRolePolicy(
        "demo-admin",
        "stint-revocations",
        deny("\"StringLike\":{\"aws:SourceIdentity\":[\"*.grt_1\"]}"));

    denied(() -> revoked.listObjectsV2(b -> b.bucket("stint-demo")));
    denied(() -> revoked.getObject(b -> b.bucket("stint-demo").key("hello.txt")));
    denied(() -> revoked.listBuckets());
    listsTheBucket(kept);
  }

  @Test
  void aRoleWideCutoffDeniesSessionsIssuedBeforeItOnly() {
    S3Client before = s3(session("grt_1", b -> {}));
    Instant cutoff = clock.instant().plusSeconds(10);
    iam.putRolePolicy(
        "demo-admin",
        "stint-revocations",
        deny("\"DateLessThan\":{\"aws:TokenIssueTime\":\"" + cutoff + "\"}"));
    clock.set(cutoff);
    S3Client after = s3(session("grt_3", b -> {}));

    denied(() -> before.listObjectsV2(b -> b.bucket("stint-demo")));
    listsTheBucket(after);
  }

  @Test
  void aDenyInOneOfStintsManagedPoliciesOnTheRoleCounts() {
    S3Client revoked = s3(session("grt_1", b -> {}));
    try (IamClient admin =
        IamClient.builder()
            .httpClient(http)
            .endpointOverride(iam.uri())
            .region(Region.US_EAST_1)
            .credentialsProvider(STINT)
            .build()) {
      String arn =
          admin
              .createPolicy(
                  b ->
                      b.policyName("stint-revocations-demo-admin-1")
                          .path("/stint/")
                          .policyDocument(
                              deny("\"StringLike\":{\"aws:SourceIdentity\":\"*.grt_1\"}")))
              .policy()
              .arn();
      listsTheBucket(revoked);

      admin.attachRolePolicy(b -> b.roleName("demo-admin").policyArn(arn));
    }

    denied(() -> revoked.listObjectsV2(b -> b.bucket("stint-demo")));
  }

  @Test
  void aSessionPolicyNarrowsWhatTheRoleAllowsAndEndsWithTheGrant() {
    Instant grantEnd = clock.instant().plus(Duration.ofMinutes(20));
    String listOnly =
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":"
            + "\"s3:ListBucket\",\"Resource\":\"*\"},{\"Effect\":\"Deny\",\"Action\":\"*\","
            + "\"Resource\":\"*\",\"Condition\":{\"DateGreaterThan\":{\"aws:CurrentTime\":\""
            + grantEnd
            + "\"}}}]}";
    S3Client narrowed = s3(session("grt_1", b -> b.policy(listOnly)));

    listsTheBucket(narrowed);
    denied(() -> narrowed.getObject(b -> b.bucket("stint-demo").key("hello.txt")));
    clock.set(grantEnd.plusSeconds(1));
    denied(() -> narrowed.listObjectsV2(b -> b.bucket("stint-demo")));
  }

  /**
   * The demo policy's narrowed profile, filled for one bucket as stint fills it at a request, is a
   * session policy that reads that bucket only: the role reads both, and the session the other not.
   */
  @Test
  void theDemoPolicysNarrowedGrantReadsItsBucketAndIsRefusedTheOther() throws Exception {
    Profile narrowed =
        new PolicyLoader().load(Path.of("policies", "demo")).profiles().get("demo-bucket-read");
    String statements =
        narrowed
            .narrowedPolicy(ParameterValues.of(Map.of("bucket", "stint-demo")))
            .orElseThrow()
            .json();
    S3Client role = s3(session("grt_1", b -> {}));
    S3Client one =
        s3(
            session(
                "grt_2",
                b -> b.policy("{\"Version\":\"2012-10-17\",\"Statement\":" + statements + "}")));

    assertThat(role.listObjectsV2(b -> b.bucket("stint-demo-archive")).contents())
        .extracting(S3Object::key)
        .containsExactly("README.txt", "reports/2025.csv");
    listsTheBucket(one);
    assertThat(one.getObjectAsBytes(b -> b.bucket("stint-demo").key("hello.txt")).asUtf8String())
        .startsWith("Read with a stint grant.");
    denied(() -> one.listObjectsV2(b -> b.bucket("stint-demo-archive")));
    denied(() -> one.getObject(b -> b.bucket("stint-demo-archive").key("README.txt")));
    denied(() -> one.listBuckets());
  }

  @Test
  void aDenyWithAnOperatorItCannotDecideIsTakenToApplyAndSuchAnAllowNot() {
    S3Client s3 = s3(session("grt_1", b -> {}));
    iam.putRolePolicy(
        "demo-admin",
        "stint-revocations",
        deny("\"ForAnyValue:StringLike\":{\"aws:PrincipalTag/stint:grant\":[\"grt_9\"]}"));

    denied(() -> s3.listObjectsV2(b -> b.bucket("stint-demo")));

    iam.putRolePolicy(
        "demo-admin", "stint-revocations", "{\"Version\":\"2012-10-17\",\"Statement\":[]}");
    iam.putRolePolicy(
        "demo-admin",
        DemoBucket.POLICY_NAME,
        DemoBucket.POLICY.replace(
            "\"Resource\":[",
            "\"Condition\":{\"IpAddress\":{\"aws:SourceIp\":\"127.0.0.1\"}},\"Resource\":["));
    denied(() -> s3.listObjectsV2(b -> b.bucket("stint-demo")));
  }

  @Test
  void anUnknownBucketIsNoSuchBucketAndAnUnknownKeyNoSuchKeyToWhoMayList() {
    S3Client s3 = s3(session("grt_1", b -> {}));

    assertThatThrownBy(() -> s3.listObjectsV2(b -> b.bucket("another-bucket")))
        .isInstanceOf(NoSuchBucketException.class);
    assertThatThrownBy(() -> s3.getObject(b -> b.bucket("stint-demo").key("missing.txt")))
        .isInstanceOf(NoSuchKeyException.class);

    S3Client readOnly =
        s3(
            session(
                "grt_2",
                b ->
                    b.policy(
                        "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\","
                            + "\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}}")));
    denied(() -> readOnly.getObject(b -> b.bucket("stint-demo").key("missing.txt")));
  }

  @Test
  void unknownKeysWrongTokensExpiredSessionsAndUnsignedCallsAreRefusedAsS3Refuses()
      throws Exception {
    Credentials minted = session("grt_1", b -> {});

    refused(
        s3(minted.toBuilder().accessKeyId("ASIANEVERMINTED00001").build()),
        403,
        "InvalidAccessKeyId");
    refused(s3(minted.toBuilder().sessionToken("FQoGZXIvYXdzEother").build()), 400, "InvalidToken");
    S3Client longTerm =
        S3Client.builder()
            .httpClient(http)
            .endpointOverride(s3.uri())
            .forcePathStyle(true)
            .region(Region.US_EAST_1)
            .credentialsProvider(STINT)
            .build();
    refused(longTerm, 403, "InvalidAccessKeyId");
    clock.set(minted.expiration());
    refused(s3(minted), 400, "ExpiredToken");

    HttpResponse<String> unsigned =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(s3.uri() + "/stint-demo/hello.txt")).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(unsigned.statusCode()).isEqualTo(403);
    assertThat(unsigned.body())
        .contains("<Error><Code>AccessDenied</Code><Message>Access Denied</Message>")
        .doesNotContain("Read with a stint grant");
  }

  @Test
  void parametersOfTheReadItselfAreReadsAndASubResourceIsNotImplemented() throws Exception {
    Credentials minted = session("grt_1", b -> {});

    HttpResponse<String> read = signedGet(minted, "/stint-demo/hello.txt?x-id=GetObject");
    assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
    assertThat(read.body()).startsWith("Read with a stint grant.");
    assertThat(signedGet(minted, "/?max-buckets=10").body()).contains("<Name>stint-demo</Name>");
    HttpResponse<String> acl = signedGet(minted, "/stint-demo/hello.txt?acl");
    assertThat(acl.statusCode()).isEqualTo(501);
    assertThat(acl.body()).contains("<Code>NotImplemented</Code>");
  }

  /** A GET signed with {@code c}, its signature well formed (the stand-in holds no secret). */
  private HttpResponse<String> signedGet(Credentials c, String pathAndQuery) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(s3.uri() + pathAndQuery))
                .header("X-Amz-Date", AwsStandInTest.DATE)
                .header("X-Amz-Security-Token", c.sessionToken())
                .header(
                    "Authorization",
                    AwsStandInTest.authorization("s3", "us-east-1")
                        .replace("AKIAEXAMPLEKEY000001", c.accessKeyId()))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  /** A deny of everything on the role's sessions, under {@code condition}, as stint writes one. */
  private static String deny(String condition) {
    return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"StintGrantSources\","
        + "\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":{"
        + condition
        + "}}]}";
  }

  /** A session of demo-admin for {@code grant}, with its source identity and tag, as stint asks. */
  private Credentials session(String grant, Consumer<AssumeRoleRequest.Builder> more) {
    try (StsClient client =
        StsClient.builder()
            .httpClient(http)
            .endpointOverride(sts.uri())
            .region(Region.US_EAST_1)
            .credentialsProvider(STINT)
            .build()) {
      AssumeRoleRequest.Builder request =
          AssumeRoleRequest.builder()
              .roleArn(ROLE)
              .roleSessionName("alice")
              .sourceIdentity("0123456789abcdef." + grant)
              .tags(t -> t.key("stint:grant").value(grant));
      more.accept(request);
      return client.assumeRole(request.build()).credentials();
    }
  }

  private S3Client s3(Credentials c) {
    return S3Client.builder()
        .httpClient(http)
        .endpointOverride(s3.uri())
        .forcePathStyle(true)
        .region(Region.US_EAST_1)
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsSessionCredentials.create(
                    c.accessKeyId(), c.secretAccessKey(), c.sessionToken())))
        .build();
  }

  private static void listsTheBucket(S3Client s3) {
    assertThat(s3.listObjectsV2(b -> b.bucket("stint-demo")).contents())
        .extracting(S3Object::key)
        .containsExactly("hello.txt", "reports/on-call.csv");
  }

  private static void denied(Runnable call) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            S3Exception.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(403);
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
            });
  }

  private static void refused(S3Client s3, int status, String code) {
    assertThatThrownBy(() -> s3.listObjectsV2(b -> b.bucket("stint-demo")))
        .isInstanceOfSatisfying(
            S3Exception.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(status);
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
            });
  }
}
