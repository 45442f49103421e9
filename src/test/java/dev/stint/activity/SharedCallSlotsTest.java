package dev.stint.activity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.config.DatabaseUrl;
import dev.stint.db.Database;
import dev.stint.testing.Patience;
import dev.stint.testing.TestPostgres;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The turns' arithmetic against the real migrations: under one key, turns come a spacing apart in
 * the order taken, by the database's clock, however many replicas (pools) ask at once; a key long
 * idle starts now; a turn further ahead than the wait allowed is not taken and is counted; other
 * keys are apart; a database out of reach fails the turn. Spacings of seconds keep the time the
 * statements take out of the figures, so nothing here waits for a turn.
 */
class SharedCallSlotsTest {
  static final Duration SPACING = Duration.ofSeconds(10);

  /** The time between the database's answer and the assertion, with room for a slow machine. */
  static final Duration SLACK = Duration.ofSeconds(2);

  Vertx vertx;
  DatabaseUrl url;
  Database database;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    url = TestPostgres.migratedDatabase();
    database = Database.connect(vertx, url, 4);
  }

  @AfterEach
  void stop() throws Exception {
    database.close();
    vertx.close().await(Patience.seconds(10), TimeUnit.MILLISECONDS);
  }

  @Test
  void turnsUnderOneKeyComeASpacingApartInTheOrderTaken() {
    SharedCallSlots slots = new SharedCallSlots(database.pool(), Duration.ofMinutes(1));
    for (int k = 0; k < 4; k++) {
      assertAbout(take(slots, "cloudtrail/eu-west-1"), SPACING.multipliedBy(k));
    }
    assertThat(slots.putOff()).isZero();
  }

  @Test
  void keysHaveTurnsOfTheirOwn() {
    SharedCallSlots slots = new SharedCallSlots(database.pool(), Duration.ofMinutes(1));
    take(slots, "cloudtrail/eu-west-1");
    take(slots, "cloudtrail/eu-west-1");
    assertAbout(take(slots, "cloudtrail/us-east-1"), Duration.ZERO);
  }

  @Test
  void aKeyLongIdleHasItsTurnNowAndTheNextASpacingOn() throws Exception {
    SharedCallSlots slots = new SharedCallSlots(database.pool(), Duration.ofMinutes(1));
    take(slots, "cloudtrail/eu-west-1");
    database
        .pool()
        .preparedQuery("UPDATE cloud_call_slots SET next_at = now() - interval '1 hour'")
        .execute()
        .await(Patience.seconds(10), TimeUnit.MILLISECONDS);
    assertAbout(take(slots, "cloudtrail/eu-west-1"), Duration.ZERO);
    assertAbout(take(slots, "cloudtrail/eu-west-1"), SPACING);
  }

  /** The turns reach too far: the caller is put off, counted, and the queue is not lengthened. */
  @Test
  void aTurnFurtherAheadThanTheWaitAllowedIsNotTaken() throws Exception {
    SharedCallSlots slots =
        new SharedCallSlots(database.pool(), SPACING.plus(SPACING.dividedBy(2)));
    take(slots, "cloudtrail/eu-west-1");
    assertAbout(take(slots, "cloudtrail/eu-west-1"), SPACING);
    assertThat(
            slots
                .reserve("cloudtrail/eu-west-1", SPACING)
                .get(Patience.seconds(10), TimeUnit.MILLISECONDS))
        .isEmpty();
    assertThat(
            slots
                .reserve("cloudtrail/eu-west-1", SPACING)
                .get(Patience.seconds(10), TimeUnit.MILLISECONDS))
        .isEmpty();
    assertThat(slots.putOff()).isEqualTo(2);
    long ahead =
        database
            .pool()
            .preparedQuery(
                "SELECT (EXTRACT(EPOCH FROM next_at - clock_timestamp()) * 1000)::bigint"
                    + " FROM cloud_call_slots WHERE key = $1")
            .execute(Tuple.of("cloudtrail/eu-west-1"))
            .await(Patience.seconds(10), TimeUnit.MILLISECONDS)
            .iterator()
            .next()
            .getLong(0);
    assertAbout(Duration.ofMillis(ahead), SPACING.multipliedBy(2));
  }

  /**
   * Two replicas (two pools, as two processes would have) asking at once: every turn is its own, a
   * spacing from the next, whoever asked.
   */
  @Test
  void replicasAskingAtOnceEachGetATurnOfTheirOwn() throws Exception {
    try (Database other = Database.connect(vertx, url, 4)) {
      List<SharedCallSlots> replicas =
          List.of(
              new SharedCallSlots(database.pool(), Duration.ofMinutes(10)),
              new SharedCallSlots(other.pool(), Duration.ofMinutes(10)));
      List<CompletableFuture<Optional<Duration>>> asked = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        asked.add(replicas.get(i % 2).reserve("cloudtrail/eu-west-1", SPACING));
      }
      List<Duration> waits = new ArrayList<>();
      for (CompletableFuture<Optional<Duration>> a : asked) {
        waits.add(a.get(Patience.seconds(30), TimeUnit.MILLISECONDS).orElseThrow());
      }
      waits.sort(null);
      for (int k = 0; k < waits.size(); k++) {
        assertAbout(waits.get(k), SPACING.multipliedBy(k));
      }
    }
  }

  @Test
  void aDatabaseOutOfReachFailsTheTurn() throws Exception {
    DatabaseUrl nowhere =
        new DatabaseUrl(
            "127.0.0.1", closedPort(), url.database(), url.user(), url.password(), url.params());
    try (Database gone = Database.connect(vertx, nowhere, 1)) {
      CompletableFuture<Optional<Duration>> turn =
          new SharedCallSlots(gone.pool()).reserve("cloudtrail/eu-west-1", SPACING);
      assertThat(turn).failsWithin(Duration.ofSeconds(30));
    }
  }

  /** A round of lookups, each waiting its longest, still ends within its credentials' lease. */
  @Test
  void aRoundWaitingItsLongestForTurnsInTwoRegionsEndsWithinItsLease() {
    assertThat(SharedCallSlots.MAX_WAIT.multipliedBy(ActivityRounds.BATCH * 2L))
        .isLessThan(ActivityRounds.LEASE);
  }

  private static Duration take(SharedCallSlots slots, String key) {
    try {
      return slots
          .reserve(key, SPACING)
          .get(Patience.seconds(10), TimeUnit.MILLISECONDS)
          .orElseThrow();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** {@code wait} is {@code expected}, less at most the time the answer took to be read. */
  private static void assertAbout(Duration wait, Duration expected) {
    assertThat(wait).isBetween(expected.minus(SLACK), expected);
  }

  private static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
