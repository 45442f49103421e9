package dev.stint.sink;

import static dev.stint.testing.AuditTables.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.audit.AuditEvent;
import dev.stint.audit.AuditReader;
import dev.stint.audit.AuditRecord;
import dev.stint.audit.GroupCommitAuditLog;
import dev.stint.config.StintConfig.AuditConfig;
import dev.stint.db.Database;
import dev.stint.testing.Eventually;
import dev.stint.testing.MutableClock;
import dev.stint.testing.Patience;
import dev.stint.testing.TestPostgres;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One worker on a real database: batches in seq order from the cursor, appends that never wait for
 * a dead sink, lag measured and alarmed past lag_alarm, two workers (replicas) never sending one
 * batch twice at once.
 */
class SinkWorkerTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));
  private final List<List<Long>> batches = new CopyOnWriteArrayList<>();
  private final AtomicBoolean down = new AtomicBoolean();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private Vertx vertx;
  private Database db;
  private GroupCommitAuditLog log;

  private final Sink recording =
      new Sink() {
        @Override
        public String name() {
          return "test";
        }

        @Override
        public void deliver(List<AuditRecord> batch) throws IOException {
          if (down.get()) {
            throw new IOException("sink test unreachable");
          }
          batches.add(batch.stream().map(AuditRecord::seq).toList());
        }
      };

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    db = Database.connect(vertx, TestPostgres.migratedDatabase(), 4);
    log =
        new GroupCommitAuditLog(
            vertx, db.pool(), clock, new AuditConfig(Patience.AUDIT_COMMIT, 256));
  }

  @AfterEach
  void tearDown() throws Exception {
    await(log.close());
    await(vertx.close());
  }

  private SinkWorker worker(SimpleMeterRegistry registry) throws Exception {
    SinkWorker w =
        new SinkWorker(
            vertx,
            new SinkWorker.Parts(recording, new SinkCursors(db.pool()), new AuditReader(db.pool())),
            Duration.ofMinutes(15),
            registry,
            clock);
    await(w.start());
    return w;
  }

  private void append(int n) throws Exception {
    for (int i = 0; i < n; i++) {
      await(log.append(AuditEvent.builder("request.created").build()));
    }
  }

  private double gauge(String name) {
    return meters.get(name).tag("sink", "test").gauge().value();
  }

  private List<Long> delivered() {
    return batches.stream().flatMap(List::stream).toList();
  }

  private static List<Long> upTo(long n) {
    return LongStream.rangeClosed(1, n).boxed().toList();
  }

  /** Pumps until the sink has {@code n} events (the worker's own timer may pump as well). */
  private void pumpUntil(SinkWorker w, int n) throws Exception {
    Eventually.until(
        n + " events delivered",
        Duration.ofSeconds(20),
        () -> {
          await(w.pump());
          return delivered().size() >= n;
        });
  }

  @Test
  void batchesFollowTheCursorInSeqOrder() throws Exception {
    append(SinkWorker.BATCH + 20);
    SinkWorker w = worker(meters);
    pumpUntil(w, SinkWorker.BATCH + 20);
    assertThat(batches.get(0)).hasSize(SinkWorker.BATCH).startsWith(1L);
    assertThat(delivered()).containsExactlyElementsOf(upTo(SinkWorker.BATCH + 20));
    append(3);
    pumpUntil(w, SinkWorker.BATCH + 23);
    assertThat(delivered()).containsExactlyElementsOf(upTo(SinkWorker.BATCH + 23));
    assertThat(await(new SinkCursors(db.pool()).cursor("test"))).isEqualTo(SinkWorker.BATCH + 23);
    w.close();
  }

  @Test
  void aDeadSinkNeitherBlocksAppendsNorLosesEventsAndAlarmsPastItsLag() throws Exception {
    SinkWorker w = worker(meters);
    down.set(true);
    append(5); // appends complete while the sink is down
    assertThat(await(w.pump())).isZero();
    assertThat(await(new SinkCursors(db.pool()).cursor("test"))).isZero();
    clock.advance(Duration.ofMinutes(16));
    await(w.pump());
    assertThat(gauge("stint_audit_sink_lag_seconds")).isGreaterThan(15 * 60);
    assertThat(gauge("stint_audit_sink_lagging")).isEqualTo(1);
    // The head count is read beside the batch, so it lands a moment later.
    Eventually.until(
        "lag in events", Duration.ofSeconds(5), () -> gauge("stint_audit_sink_lag_events") == 5);

    down.set(false);
    clock.advance(Duration.ofMinutes(2)); // past the back-off
    pumpUntil(w, 5);
    await(w.pump());
    assertThat(gauge("stint_audit_sink_lagging")).isZero();
    assertThat(batches).containsExactly(List.of(1L, 2L, 3L, 4L, 5L));
    w.close();
  }

  @Test
  void twoReplicasTakeTurnsOnOneSink() throws Exception {
    SinkWorker a = worker(meters);
    SinkWorker b = worker(new SimpleMeterRegistry());
    append(40);
    var first = a.pump();
    var second = b.pump();
    await(first);
    await(second);
    pumpUntil(b, 40);
    assertThat(delivered())
        .as("each event once: the lease kept the replicas apart")
        .containsExactlyElementsOf(upTo(40));
    a.close();
    b.close();
  }
}
