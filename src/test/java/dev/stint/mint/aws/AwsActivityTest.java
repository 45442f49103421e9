package dev.stint.mint.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stint.activity.SharedCallSlots;
import dev.stint.config.DatabaseUrl;
import dev.stint.db.Database;
import dev.stint.demo.CloudTrailStandIn;
import dev.stint.mint.ActivityLookup;
import dev.stint.mint.CallSlots;
import dev.stint.mint.MintException;
import dev.stint.standin.CloudTrailEvent;
import dev.stint.testing.FakeAwsEndpoint.Call;
import dev.stint.testing.FakeSts;
import dev.stint.testing.Patience;
import dev.stint.testing.TestPostgres;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * CloudTrail lookups through the real SDK against the CloudTrail stand-in, with the SDK's retries
 * off so a throttled call would fail: calls to one region are paced to CloudTrail's two a second by
 * turns in Postgres, across replicas sharing it as within one; a call with no turn (the turns too
 * far ahead, the database out of reach) is not made; and each event is read as a call (the record's
 * region, address, error, key, role and source identity). A credential is looked up in its role's
 * account: stint's own with its own identity, another through that account's broker role, and none
 * without one.
 */
class AwsActivityTest {
  static final String ACCOUNT = "111122223333";
  static final String OTHER = "222233334444";
  static final String OTHER_ROLE = "arn:aws:iam::" + OTHER + ":role/Admin";

  /**
   * One attempt each, with generous timeouts: a client's first call on a busy machine (classes
   * loaded, a connection opened) takes well over a second.
   */
  static final AwsSettings.Calls NO_RETRIES =
      new AwsSettings.Calls(
          Duration.ofSeconds(20), Duration.ofSeconds(10), 1, Duration.ofMillis(1));

  Vertx vertx;
  FakeSts sts;
  CloudTrailStandIn cloudTrail;
  DatabaseUrl url;
  Replica replica;

  /** One stint replica's lookups: its own pool, SDK clients and threads. */
  record Replica(Database database, AwsClients clients, AwsActivity activity)
      implements AutoCloseable {
    static Replica start(
        Vertx vertx, DatabaseUrl url, URI sts, URI cloudTrail, Optional<String> brokerRole) {
      Database db = Database.connect(vertx, url, 2);
      AwsClients clients =
          new AwsClients(
              vertx,
              new AwsSettings(
                      Optional.of("eu-west-1"),
                      Optional.of(sts),
                      Optional.empty(),
                      AwsSettings.DEFAULT_SIGNIN,
                      NO_RETRIES)
                  .withBrokerRole(brokerRole),
              AwsMinterTest.STINT_IDENTITY,
              2);
      return new Replica(
          db,
          clients,
          new AwsActivity(
              clients, List.of("eu-west-1"), Optional.of(cloudTrail), slots(db.pool())));
    }

    @Override
    public void close() {
      activity.close();
      clients.close();
      database.close();
    }
  }

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    sts = new FakeSts();
    cloudTrail =
        new CloudTrailStandIn(Clock.systemUTC(), Duration.ZERO)
            .allow("AKIASTINTTESTKEY0001", "stint-test-secret", ACCOUNT)
            .allowSessionsOf(sts);
    url = TestPostgres.migratedDatabase();
    replica = replica(Optional.empty());
  }

  Replica replica(Optional<String> brokerRole) {
    return Replica.start(vertx, url, sts.uri(), cloudTrail.uri(), brokerRole);
  }

  @AfterEach
  void stop() throws Exception {
    replica.close();
    cloudTrail.close();
    sts.close();
    vertx.close().await(Patience.seconds(10), TimeUnit.MILLISECONDS);
  }

  @Test
  void lookupsToOneRegionArePacedSoNoneIsThrottled() {
    List<CompletableFuture<ActivityLookup.Page>> all = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      all.add(replica.activity().lookup(query("ASIAKEYNOTUSED000001")));
    }
    assertAllFoundNothing(all);
    assertThat(cloudTrail.throttled()).isZero();
  }

  /**
   * Two replicas on one database, each with lookups waiting on both of its threads: together they
   * keep to the region's limit (each pacing only itself, they would make twice as many calls).
   */
  @Test
  void replicasSharingTheDatabaseKeepToOneLimitTogether() {
    try (Replica other = replica(Optional.empty())) {
      List<CompletableFuture<ActivityLookup.Page>> all = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        all.add(replica.activity().lookup(query("ASIAKEYNOTUSED000001")));
        all.add(other.activity().lookup(query("ASIAKEYNOTUSED000002")));
      }
      assertAllFoundNothing(all);
      assertThat(cloudTrail.throttled()).isZero();
      assertThat(cloudTrail.admitted()).isEqualTo(6);
    }
  }

  @Test
  void aLookupWhoseTurnIsTooFarAheadIsNotMade() {
    try (AwsActivity full =
        new AwsActivity(
            replica.clients(),
            List.of("eu-west-1"),
            Optional.of(cloudTrail.uri()),
            (key, spacing) -> CompletableFuture.completedFuture(Optional.empty()))) {
      assertThatThrownBy(() -> full.lookup(query("ASIAKEYNOTUSED000001")).join())
          .hasCauseInstanceOf(AwsActivity.NoTurn.class)
          .hasMessageContaining("too far ahead");
    }
    assertThat(cloudTrail.admitted()).isZero();
  }

  /** Turns that have always passed a second ago: every try would leave late, so none is sent. */
  @Test
  void aCallLateForItsTurnIsNotSentAndTakesAnother() {
    AtomicInteger taken = new AtomicInteger();
    try (AwsActivity late =
        new AwsActivity(
            replica.clients(),
            List.of("eu-west-1"),
            Optional.of(cloudTrail.uri()),
            (key, spacing) -> {
              taken.incrementAndGet();
              return CompletableFuture.completedFuture(Optional.of(Duration.ofSeconds(-1)));
            })) {
      assertThatThrownBy(() -> late.lookup(query("ASIAKEYNOTUSED000001")).join())
          .hasRootCauseInstanceOf(TurnCheck.Missed.class);
    }
    assertThat(taken).hasValue(AwsActivity.TURNS);
    assertThat(cloudTrail.admitted()).isZero();
  }

  @Test
  void aLookupWithoutTheDatabaseIsNotMade() throws Exception {
    replica.database().closeAsync().await(Patience.seconds(10), TimeUnit.MILLISECONDS);
    assertThatThrownBy(() -> replica.activity().lookup(query("ASIAKEYNOTUSED000001")).join())
        .hasCauseInstanceOf(AwsActivity.NoTurn.class);
    assertThat(cloudTrail.admitted()).isZero();
  }

  @Test
  void turnsAreKeyedByTheAccountAndTheRegion() {
    assertThat(AwsActivity.paceKey(ACCOUNT, "eu-west-1"))
        .isEqualTo("cloudtrail/" + ACCOUNT + "/eu-west-1")
        .isNotEqualTo(AwsActivity.paceKey(OTHER, "eu-west-1"))
        .isNotEqualTo(AwsActivity.paceKey(ACCOUNT, "us-east-1"));
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
    ActivityLookup.Page page = replica.activity().lookup(query("ASIAKEYUSED000000001")).join();
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
    replica.close();
    replica = replica(Optional.of("stint/broker"));
    cloudTrail.record(OTHER, call("ASIAKEYOTHERACCOUNT1"));
    cloudTrail.record(ACCOUNT, call("ASIAKEYOTHERACCOUNT1"));

    ActivityLookup.Page page =
        replica.activity().lookup(query("ASIAKEYOTHERACCOUNT1", OTHER_ROLE)).join();

    assertThat(page.calls()).hasSize(1);
    Call assumed = sts.onlyCall("AssumeRole");
    assertThat(assumed.param("RoleArn")).isEqualTo("arn:aws:iam::" + OTHER + ":role/stint/broker");
    assertThat(assumed.param("RoleSessionName")).isEqualTo(AwsAccounts.BROKER_SESSION);
    // Stint's own account is looked up with its own identity, not through a broker.
    replica.activity().lookup(query("ASIAKEYOTHERACCOUNT1")).join();
    assertThat(sts.assumeCalls()).hasSize(1);
  }

  @Test
  void withoutABrokerRoleAnotherAccountIsNotLookedUpInStintsOwn() {
    cloudTrail.record(ACCOUNT, call("ASIAKEYOTHERACCOUNT1"));

    assertThatThrownBy(
            () -> replica.activity().lookup(query("ASIAKEYOTHERACCOUNT1", OTHER_ROLE)).join())
        .hasCauseInstanceOf(MintException.class)
        .hasMessageContaining("aws.broker_role");
    assertThat(sts.assumeCalls()).isEmpty();
  }

  @Test
  void aBrokerRoleStintCannotAssumeFailsTheLookupToBeTriedAgain() {
    replica.close();
    replica = replica(Optional.of("stint-broker"));
    sts.failNext(FakeSts.Failure.ACCESS_DENIED);

    assertThatThrownBy(
            () -> replica.activity().lookup(query("ASIAKEYOTHERACCOUNT1", OTHER_ROLE)).join())
        .isInstanceOf(CompletionException.class);
  }

  static CallSlots slots(Pool pool) {
    return new SharedCallSlots(pool);
  }

  /** Every lookup completed (none throttled: retries are off) and found nothing. */
  static void assertAllFoundNothing(List<CompletableFuture<ActivityLookup.Page>> all) {
    assertThat(all)
        .allSatisfy(
            f ->
                assertThat(f)
                    .succeedsWithin(Duration.ofSeconds(60))
                    .satisfies(page -> assertThat(page.calls()).isEmpty()));
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
