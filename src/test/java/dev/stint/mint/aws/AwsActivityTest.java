package dev.stint.mint.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stint.demo.CloudTrailStandIn;
import dev.stint.mint.ActivityLookup;
import dev.stint.mint.MintException;
import dev.stint.standin.CloudTrailEvent;
import dev.stint.testing.FakeAwsEndpoint.Call;
import dev.stint.testing.FakeSts;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * CloudTrail lookups through the real SDK against the CloudTrail stand-in, with the SDK's retries
 * off so a throttled call would fail: calls to one region are paced to CloudTrail's two a second,
 * and each event is read as a call (the record's region, address, error, key, role and source
 * identity). A credential is looked up in its role's account: stint's own with its own identity,
 * another through that account's broker role, and none without one.
 */
class AwsActivityTest {
  static final String ACCOUNT = "111122223333";
  static final String OTHER = "222233334444";
  static final String OTHER_ROLE = "arn:aws:iam::" + OTHER + ":role/Admin";
  static final AwsSettings.Calls NO_RETRIES =
      new AwsSettings.Calls(
          Duration.ofSeconds(5), Duration.ofMillis(1500), 1, Duration.ofMillis(1));

  Vertx vertx;
  FakeSts sts;
  CloudTrailStandIn cloudTrail;
  AwsClients clients;
  AwsActivity activity;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    sts = new FakeSts();
    cloudTrail =
        new CloudTrailStandIn(Clock.systemUTC(), Duration.ZERO)
            .allow("AKIASTINTTESTKEY0001", "stint-test-secret", ACCOUNT)
            .allowSessionsOf(sts);
    start(Optional.empty());
  }

  void start(Optional<String> brokerRole) {
    if (activity != null) {
      activity.close();
      clients.close();
    }
    clients =
        new AwsClients(
            vertx,
            new AwsSettings(
                    Optional.of("eu-west-1"),
                    Optional.of(sts.uri()),
                    Optional.empty(),
                    AwsSettings.DEFAULT_SIGNIN,
                    NO_RETRIES)
                .withBrokerRole(brokerRole),
            AwsMinterTest.STINT_IDENTITY,
            2);
    activity = new AwsActivity(clients, List.of("eu-west-1"), Optional.of(cloudTrail.uri()));
  }

  @AfterEach
  void stop() throws Exception {
    activity.close();
    clients.close();
    cloudTrail.close();
    sts.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void lookupsToOneRegionArePacedSoNoneIsThrottled() {
    List<CompletableFuture<ActivityLookup.Page>> all = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      all.add(activity.lookup(query("ASIAKEYNOTUSED000001")));
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
    assertThat(all)
        .allSatisfy(f -> assertThat(f).isCompletedWithValueMatching(p -> p.calls().isEmpty()));
  }

  @Test
  void anEventIsReadAsTheCallItRecords() {
    cloudTrail.record(
        ACCOUNT,
        CloudTrailEvent.builder("sts.amazonaws.com", "AssumeRole")
            .time(Instant.now().minusSeconds(60))
            .region("eu-west-1")
            .accessKeyId("ASIAKEYUSED000000001")
            .sourceIp("198.51.100.9")
            .errorCode("AccessDenied")
            .assumedRole("prod", "alice")
            .sourceIdentity("stint-grant-1")
            .roleArn("arn:aws:iam::111122223333:role/other")
            .build());
    ActivityLookup.Page page = activity.lookup(query("ASIAKEYUSED000000001")).join();
    assertThat(page.calls()).hasSize(1);
    ActivityLookup.Call c = page.calls().get(0);
    assertThat(c.source()).isEqualTo("sts.amazonaws.com");
    assertThat(c.name()).isEqualTo("AssumeRole");
    assertThat(c.region()).isEqualTo("eu-west-1");
    assertThat(c.sourceIp()).contains("198.51.100.9");
    assertThat(c.errorCode()).contains("AccessDenied");
    assertThat(c.accessKeyId()).contains("ASIAKEYUSED000000001");
    assertThat(c.assumedRole()).contains("arn:aws:iam::111122223333:role/other");
    assertThat(c.sourceIdentity()).contains("stint-grant-1");
    assertThat(page.nextToken()).isEmpty();
  }

  static CloudTrailEvent call(String key) {
    return CloudTrailEvent.builder("s3.amazonaws.com", "GetObject")
        .time(Instant.now().minusSeconds(60))
        .region("eu-west-1")
        .accessKeyId(key)
        .assumedRole("Admin", "alice")
        .build();
  }

  @Test
  void aCredentialOfAnotherAccountIsLookedUpInThatAccountThroughItsBrokerRole() {
    start(Optional.of("stint/broker"));
    cloudTrail.record(OTHER, call("ASIAKEYOTHERACCOUNT1"));
    cloudTrail.record(ACCOUNT, call("ASIAKEYOTHERACCOUNT1"));

    ActivityLookup.Page page = activity.lookup(query("ASIAKEYOTHERACCOUNT1", OTHER_ROLE)).join();

    assertThat(page.calls()).hasSize(1);
    Call assumed = sts.onlyCall("AssumeRole");
    assertThat(assumed.param("RoleArn")).isEqualTo("arn:aws:iam::" + OTHER + ":role/stint/broker");
    assertThat(assumed.param("RoleSessionName")).isEqualTo(AwsAccounts.BROKER_SESSION);
    // Stint's own account is looked up with its own identity, not through a broker.
    activity.lookup(query("ASIAKEYOTHERACCOUNT1")).join();
    assertThat(sts.assumeCalls()).hasSize(1);
  }

  @Test
  void withoutABrokerRoleAnotherAccountIsNotLookedUpInStintsOwn() {
    cloudTrail.record(ACCOUNT, call("ASIAKEYOTHERACCOUNT1"));

    assertThatThrownBy(() -> activity.lookup(query("ASIAKEYOTHERACCOUNT1", OTHER_ROLE)).join())
        .hasCauseInstanceOf(MintException.class)
        .hasMessageContaining("aws.broker_role");
    assertThat(sts.assumeCalls()).isEmpty();
  }

  @Test
  void aBrokerRoleStintCannotAssumeFailsTheLookupToBeTriedAgain() {
    start(Optional.of("stint-broker"));
    sts.failNext(FakeSts.Failure.ACCESS_DENIED);

    assertThatThrownBy(() -> activity.lookup(query("ASIAKEYOTHERACCOUNT1", OTHER_ROLE)).join())
        .isInstanceOf(CompletionException.class);
  }

  @Test
  void paceKeysAreTheAccountAndTheRegion() {
    assertThat(AwsActivity.paceKey(ACCOUNT, "eu-west-1"))
        .isNotEqualTo(AwsActivity.paceKey(OTHER, "eu-west-1"))
        .isNotEqualTo(AwsActivity.paceKey(ACCOUNT, "us-east-1"));
  }

  static ActivityLookup.Query query(String key) {
    return query(key, "arn:aws:iam::" + ACCOUNT + ":role/prod");
  }

  static ActivityLookup.Query query(String key, String roleArn) {
    Instant now = Instant.now();
    return new ActivityLookup.Query(
        key, roleArn, "eu-west-1", now.minus(Duration.ofHours(1)), now, Optional.empty());
  }
}
