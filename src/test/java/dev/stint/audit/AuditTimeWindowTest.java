package dev.stint.audit;

import static dev.stint.testing.AuditTables.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.config.StintConfig.AuditConfig;
import dev.stint.db.Database;
import dev.stint.testing.Patience;
import dev.stint.testing.TestPostgres;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Time windows over a log whose stamps are not in seq order (replicas' clocks differ, batches
 * wait): the seq bounds the reader derives from a window must never drop an event in it.
 */
class AuditTimeWindowTest {
  private static final Instant T0 = Instant.parse("2026-05-01T12:00:00Z");
  private static Vertx vertx;
  private static AuditReader reader;

  @BeforeAll
  static void writeLog() throws Exception {
    vertx = Vertx.vertx();
    Database db = Database.connect(vertx, TestPostgres.migratedDatabase(), 2);
    reader = new AuditReader(db.pool());
    // seq order: e0..e7; stamps jump back by up to 50 minutes between neighbours
    long[] minutes = {-300, -200, 10, 0, 120, 70, 115, 400};
    for (int i = 0; i < minutes.length; i++) {
      Clock at = Clock.fixed(T0.plus(Duration.ofMinutes(minutes[i])), ZoneOffset.UTC);
      GroupCommitAuditLog log =
          new GroupCommitAuditLog(vertx, db.pool(), at, new AuditConfig(Patience.AUDIT_COMMIT, 8));
      await(
          log.append(
              AuditEvent.builder("request.created")
                  .actor("https://idp", "amy", null)
                  .target("e" + i)
                  .build()));
    }
  }

  @AfterAll
  static void close() throws Exception {
    await(vertx.close());
  }

  private static List<String> targets(Instant since, Instant until) throws Exception {
    AuditQuery q =
        new AuditQuery(
            Optional.ofNullable(since),
            Optional.ofNullable(until),
            Optional.of("amy"),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            100);
    return await(reader.query(q)).events().stream().map(r -> r.event().target()).toList();
  }

  @Test
  void aWindowFindsEveryEventStampedInItWhateverItsSeq() throws Exception {
    assertThat(targets(T0.plus(Duration.ofMinutes(5)), null))
        .containsExactly("e2", "e4", "e5", "e6", "e7");
    assertThat(targets(null, T0.plus(Duration.ofMinutes(117))))
        .containsExactly("e0", "e1", "e2", "e3", "e5", "e6");
    assertThat(targets(T0, T0.plus(Duration.ofMinutes(116))))
        .containsExactly("e2", "e3", "e5", "e6");
  }

  @Test
  void aWindowWithNothingInItIsEmpty() throws Exception {
    assertThat(targets(T0.plus(Duration.ofMinutes(20)), T0.plus(Duration.ofMinutes(70)))).isEmpty();
    assertThat(targets(T0.plus(Duration.ofDays(1)), null)).isEmpty();
    assertThat(targets(null, T0.minus(Duration.ofDays(1)))).isEmpty();
  }
}
