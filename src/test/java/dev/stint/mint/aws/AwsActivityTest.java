package dev.stint.mint.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.demo.CloudTrailStandIn;
import dev.stint.mint.ActivityLookup;
import dev.stint.standin.CloudTrailEvent;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * CloudTrail lookups through the real SDK against the CloudTrail stand-in, with the SDK's retries
 * off so a throttled call would fail: calls to one region are paced to CloudTrail's two a second,
 * and each event is read as a call (the record's region, address, error, key, role and source
 * identity).
 */
class AwsActivityTest {
  static final String ACCOUNT = "111122223333";
  static final AwsSettings.Calls NO_RETRIES =
      new AwsSettings.Calls(
          Duration.ofSeconds(5), Duration.ofMillis(1500), 1, Duration.ofMillis(1));

  Vertx vertx;
  CloudTrailStandIn cloudTrail;
  AwsClients clients;
  AwsActivity activity;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    cloudTrail =
        new CloudTrailStandIn(Clock.systemUTC(), Duration.ZERO)
            .allow("AKIASTINTTESTKEY0001", "stint-test-secret", ACCOUNT);
    clients =
        new AwsClients(
            vertx,
            new AwsSettings(
                Optional.of("eu-west-1"),
                Optional.empty(),
                Optional.empty(),
                AwsSettings.DEFAULT_SIGNIN,
                NO_RETRIES),
            AwsMinterTest.STINT_IDENTITY,
            2);
    activity = new AwsActivity(clients, List.of("eu-west-1"), Optional.of(cloudTrail.uri()));
  }

  @AfterEach
  void stop() throws Exception {
    activity.close();
    clients.close();
    cloudTrail.close();
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

  static ActivityLookup.Query query(String key) {
    Instant now = Instant.now();
    return new ActivityLookup.Query(
        key, "eu-west-1", now.minus(Duration.ofHours(1)), now, Optional.empty());
  }
}
