package dev.stint.mint.aws;

import static dev.stint.mint.aws.AwsMinterTest.FAST_CALLS;
import static dev.stint.mint.aws.AwsMinterTest.STINT_IDENTITY;
import static dev.stint.mint.aws.AwsMinterTest.failure;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stint.mint.MintException;
import dev.stint.demo.AwsStandIn.Call;
import dev.stint.testing.FakeIam;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The real SDK IAM client against a stateful local IAM. */
class AwsRevocationsTest {
  private static final String ROLE = "arn:aws:iam::111122223333:role/teams/prod-admin";
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Instant now = Instant.parse("2026-11-23T10:00:00Z");
  private final FakeIam iam = new FakeIam().createRole("prod-admin");
  private final Vertx vertx = Vertx.vertx();
  private final ExecutorService executor = Executors.newFixedThreadPool(2);
  private AwsClients clients;
  private AwsRevocations revocations;

  @BeforeEach
  void start() {
    clients = new AwsClients(vertx, new AwsSettings(Optional.of("eu-west-1"), Optional.empty(),
        Optional.of(iam.uri()), AwsSettings.DEFAULT_SIGNIN, FAST_CALLS), STINT_IDENTITY, 2);
    revocations = new AwsRevocations(clients, executor, Clock.fixed(now, ZoneOffset.UTC));
  }

  @AfterEach
  void stop() {
    clients.close();
    iam.close();
    executor.shutdownNow();
    vertx.close();
  }

  private AwsRevocations.Result revoke(String identity, String grant, Instant at) throws Exception {
    return revocations.revoke(new AwsRevocation(ROLE, identity, grant, at)).get(10, TimeUnit.SECONDS);
  }

  private JsonNode statements() throws Exception {
    return JSON.readTree(iam.policy("prod-admin", "stint-revocations").orElseThrow())
        .path("Statement");
  }

  @Test
  void theFirstRevocationCreatesTheStintPolicy() throws Exception {
    AwsRevocations.Result result = revoke("0123456789abcdef.g-1", "g-1", now.minusMillis(300));

    assertThat(iam.calls()).extracting(c -> c.param("Action"))
        .containsExactly("GetRolePolicy", "PutRolePolicy", "GetRolePolicy");
    Call put = iam.onlyCall("PutRolePolicy");
    assertThat(put.param("RoleName")).isEqualTo("prod-admin");
    assertThat(put.param("PolicyName")).isEqualTo("stint-revocations");
    // Sessions may live 12 h, plus an hour for one minted while the revocation committed,
    // rounded up to the hour that groups revocations.
    long end = now.plus(Duration.ofHours(13)).getEpochSecond();
    assertThat(put.param("PolicyDocument")).isEqualTo("{\"Version\":\"2012-10-17\",\"Statement\":["
        + "{\"Sid\":\"StintU" + end + "T\",\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\","
        + "\"Condition\":{\"StringEquals\":{\"aws:PrincipalTag/stint:grant\":[\"g-1\"]}}},"
        + "{\"Sid\":\"StintU" + end + "S\",\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\","
        + "\"Condition\":{\"StringEquals\":{\"aws:SourceIdentity\":[\"0123456789abcdef.g-1\"]}}}]}");
    assertThat(put.headers().get("Authorization").get(0)).contains("/us-east-1/iam/aws4_request");
    assertThat(result).isEqualTo(new AwsRevocations.Result(2, 0));
  }

  @Test
  void mergesWithEarlierRevocationsPrunesExpiredOnesAndKeepsForeignStatements() throws Exception {
    String foreign = "{\"Sid\":\"OperatorNote\",\"Effect\":\"Deny\",\"Action\":\"s3:DeleteBucket\",\"Resource\":\"*\"}";
    long live = now.plus(Duration.ofHours(3)).getEpochSecond();
    iam.putPolicy("prod-admin", "stint-revocations", "{\"Version\":\"2012-10-17\",\"Statement\":["
        + foreign + "," + stintStatement("old", "gone@example.com", now.minusSeconds(1)) + ","
        + "{\"Sid\":\"StintU" + live + "T\",\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\","
        + "\"Condition\":{\"StringEquals\":{\"aws:PrincipalTag/stint:grant\":[\"g-live\"]}}}]}");

    AwsRevocations.Result result = revoke("0123456789abcdef.g-2", "g-2", now);

    long end = now.plus(Duration.ofHours(13)).getEpochSecond();
    assertThat(statements()).extracting(s -> s.path("Sid").asText()).containsExactly(
        "OperatorNote", "StintU" + live + "T", "StintU" + end + "T", "StintU" + end + "S");
    assertThat(statements().get(0)).isEqualTo(JSON.readTree(foreign));
    assertThat(statements().get(1).at("/Condition/StringEquals/aws:PrincipalTag~1stint:grant"))
        .isEqualTo(JSON.readTree("[\"g-live\"]"));
    assertThat(result).isEqualTo(new AwsRevocations.Result(3, 1));
  }

  @Test
  void grantsRevokedInTheSameHourShareTwoStatements() throws Exception {
    revoke("0123456789abcdef.g-1", "g-1", now.minus(Duration.ofMinutes(10)));
    revoke("0123456789abcdef.g-2", "g-2", now);
    revoke("0123456789abcdef.g-2", "g-2", now);

    assertThat(statements()).hasSize(2);
    assertThat(statements().get(0).at("/Condition/StringEquals/aws:PrincipalTag~1stint:grant"))
        .isEqualTo(JSON.readTree("[\"g-1\",\"g-2\"]"));
    assertThat(statements().get(1).at("/Condition/StringEquals/aws:SourceIdentity"))
        .isEqualTo(JSON.readTree("[\"0123456789abcdef.g-1\",\"0123456789abcdef.g-2\"]"));
  }

  @Test
  void aHundredGrantsRevokedInOneHourFitInIamsLimit() throws Exception {
    for (int i = 0; i < 100; i++) {
      String grant = "grt_" + "abcdefghijklmnopqrst" + String.format("%04d", i);
      revoke(SourceIdentities.of("https://login.example.com/tenant", "person" + i, grant), grant,
          now);
    }

    assertThat(statements()).hasSize(2);
    assertThat(statements().get(0).at("/Condition/StringEquals/aws:PrincipalTag~1stint:grant"))
        .hasSize(100);
  }

  @Test
  void aShortGrantsDenyLastsTwoHoursPastTheGrantAndIsThenPruned() throws Exception {
    Instant grantEnd = now.plus(Duration.ofMinutes(30));
    revocations.revoke(new AwsRevocation(ROLE, "0123456789abcdef.g-1", "g-1", now, grantEnd))
        .get(10, TimeUnit.SECONDS);
    // Its sessions end by the grant's end plus STS's minimum, and a chained one an hour later:
    // two hours past the grant, rounded up to the hour, instead of thirteen past the revoke.
    long end = now.plus(Duration.ofHours(3)).getEpochSecond();
    assertThat(statements()).extracting(st -> st.path("Sid").asText())
        .containsExactly("StintU" + end + "T", "StintU" + end + "S");

    AwsRevocations later = new AwsRevocations(clients, executor,
        Clock.fixed(now.plus(Duration.ofHours(3)), ZoneOffset.UTC));
    AwsRevocations.Result result = later.revoke(new AwsRevocation(ROLE, "0123456789abcdef.g-2",
        "g-2", now.plus(Duration.ofHours(3)))).get(10, TimeUnit.SECONDS);
    assertThat(result.pruned()).isEqualTo(2);
    assertThat(statements().toString()).doesNotContain("\"g-1\"");
  }

  @Test
  void aGrantLongerThanAnySessionKeepsItsDenyForTheLongestSession() throws Exception {
    revocations.revoke(new AwsRevocation(ROLE, "0123456789abcdef.g-1", "g-1", now,
        now.plus(Duration.ofDays(2)))).get(10, TimeUnit.SECONDS);
    long end = now.plus(Duration.ofHours(13)).getEpochSecond();
    assertThat(statements().get(0).path("Sid").asText()).isEqualTo("StintU" + end + "T");
  }

  @Test
  void concurrentRevocationsOnOneRoleAllLand() throws Exception {
    List<java.util.concurrent.CompletableFuture<AwsRevocations.Result>> all = new java.util.ArrayList<>();
    for (int i = 0; i < 6; i++) {
      all.add(revocations.revoke(new AwsRevocation(ROLE, "0123456789abcdef.g-" + i, "g-" + i, now)));
    }
    java.util.concurrent.CompletableFuture.allOf(all.toArray(new java.util.concurrent.CompletableFuture[0]))
        .get(20, TimeUnit.SECONDS);

    assertThat(statements().get(0).at("/Condition/StringEquals/aws:PrincipalTag~1stint:grant"))
        .extracting(JsonNode::asText)
        .containsExactlyInAnyOrder("g-0", "g-1", "g-2", "g-3", "g-4", "g-5");
  }

  @Test
  void throttlingAndConflictsAreRetried() throws Exception {
    iam.failNext(FakeIam.Failure.THROTTLING, FakeIam.Failure.CONCURRENT_MODIFICATION);

    revoke("jane@example.com", "g-1", now);

    assertThat(iam.policy("prod-admin", "stint-revocations")).isPresent();
  }

  @Test
  void aWriterThatKeepsReplacingThePolicyFailsRetryably() {
    iam.afterPut(() -> iam.putPolicy("prod-admin", "stint-revocations",
        "{\"Version\":\"2012-10-17\",\"Statement\":[]}"));

    MintException e = failure(revocations.revoke(new AwsRevocation(ROLE, "jane@example.com", "g-1", now)));

    assertThat(e.retryable()).isTrue();
    assertThat(e.detail()).isEqualTo("could not write the AWS revocation for grant g-1: "
        + "another writer kept replacing the revocation policy");
    assertThat(iam.calls().stream().filter(c -> "PutRolePolicy".equals(c.param("Action"))))
        .hasSize(AwsRevocations.ATTEMPTS);
  }

  @Test
  void refusedPermissionsFailWithoutLeakingTheArn() {
    iam.failNext(FakeIam.Failure.ACCESS_DENIED);

    MintException e = failure(revocations.revoke(new AwsRevocation(ROLE, "jane@example.com", "g-1", now)));

    assertThat(e.retryable()).isFalse();
    assertThat(e.detail()).isEqualTo("could not write the AWS revocation for grant g-1: AWS refused "
        + "the change (stint needs iam:GetRolePolicy and iam:PutRolePolicy)");
  }

  @Test
  void withoutItsOwnAwsCredentialsStintSaysSoAboutTheGrant() {
    AwsClients keyless = new AwsClients(vertx, new AwsSettings(Optional.of("eu-west-1"), Optional.empty(),
        Optional.of(iam.uri()), AwsSettings.DEFAULT_SIGNIN, FAST_CALLS), () -> {
          throw software.amazon.awssdk.core.exception.SdkClientException.create(
              "Unable to load credentials from any of the providers in the chain");
        }, 2);
    try {
      MintException e = failure(new AwsRevocations(keyless, executor, Clock.fixed(now,
          ZoneOffset.UTC)).revoke(new AwsRevocation(ROLE, "jane@example.com", "g-1", now)));

      assertThat(e.retryable()).isFalse();
      assertThat(e.detail()).isEqualTo("could not write the AWS revocation for grant g-1: stint "
          + "has no AWS credentials of its own (the SDK's default credential chain found none)");
      assertThat(iam.calls()).isEmpty();
    } finally {
      keyless.close();
    }
  }

  @Test
  void anOutageFailsRetryably() {
    for (int i = 0; i < FAST_CALLS.maxAttempts(); i++) {
      iam.failNext(FakeIam.Failure.SERVER_ERROR);
    }

    MintException e = failure(revocations.revoke(new AwsRevocation(ROLE, "jane@example.com", "g-1", now)));

    assertThat(e.retryable()).isTrue();
    assertThat(iam.policy("prod-admin", "stint-revocations")).isEmpty();
  }

  @Test
  void aMissingRoleIsReported() {
    MintException e = failure(revocations.revoke(new AwsRevocation(
        "arn:aws:iam::111122223333:role/nope", "jane@example.com", "g-1", now)));

    assertThat(e.retryable()).isFalse();
    assertThat(e.detail()).endsWith(": the role does not exist");
  }

  @Test
  void refusesLoudlyInsteadOfExceedingIamsSizeLimit() {
    StringBuilder many = new StringBuilder();
    for (int i = 0; i < 50; i++) {
      many.append(i == 0 ? "" : ",").append(stintStatement("g" + i, "person" + i + "@example.com",
          now.plus(Duration.ofHours(6))));
    }
    iam.putPolicy("prod-admin", "stint-revocations",
        "{\"Version\":\"2012-10-17\",\"Statement\":[" + many + "]}");

    MintException e = failure(revocations.revoke(new AwsRevocation(ROLE, "jane@example.com", "g-1", now)));

    assertThat(e.retryable()).isFalse();
    assertThat(e.detail()).contains("would exceed IAM's 10240-character limit");
    assertThat(iam.calls()).extracting(c -> c.param("Action")).containsExactly("GetRolePolicy");
  }

  @Test
  void aDocumentThatIsNotAPolicyIsNotOverwritten() {
    iam.putPolicy("prod-admin", "stint-revocations", "{\"Version\":\"2012-10-17\"}");

    MintException e = failure(revocations.revoke(new AwsRevocation(ROLE, "jane@example.com", "g-1", now)));

    assertThat(e.detail()).contains("is not a policy document");
    assertThat(iam.calls()).extracting(c -> c.param("Action")).isEqualTo(List.of("GetRolePolicy"));
  }

  /** A statement in the older one-per-person form, which merging still recognises and prunes. */
  private static String stintStatement(String grant, String identity, Instant until) {
    return "{\"Sid\":\"StintU" + until.getEpochSecond() + "G" + grant + "\",\"Effect\":\"Deny\","
        + "\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":{\"StringEquals\":{"
        + "\"aws:SourceIdentity\":\"" + identity + "\"},\"DateLessThan\":{\"aws:TokenIssueTime\":\""
        + until.minus(Duration.ofHours(12)) + "\"}}}";
  }
}
