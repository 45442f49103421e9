package dev.stint.audit;

import static dev.stint.testing.AuditTables.await;
import static dev.stint.testing.AuditTables.failure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.config.DatabaseUrl;
import dev.stint.config.StintConfig.AuditConfig;
import dev.stint.db.Database;
import dev.stint.error.ErrorCode;
import dev.stint.error.StintException;
import dev.stint.testing.AuditTables;
import dev.stint.testing.Eventually;
import dev.stint.testing.Patience;
import dev.stint.testing.TestPostgres;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Fail closed: a slow or dead database fails the caller, writes nothing, and heals by itself. */
class AuditFailureTest {
  private DatabaseUrl url;
  private Vertx vertx;
  private Database db;

  @BeforeEach
  void setUp() {
    url = TestPostgres.migratedDatabase();
    vertx = Vertx.vertx();
    db = Database.connect(vertx, url, 4);
  }

  @AfterEach
  void tearDown() throws Exception {
    await(vertx.close());
  }

  private GroupCommitAuditLog log(Duration timeout) {
    return new GroupCommitAuditLog(
        vertx, db.pool(), Clock.systemUTC(), new AuditConfig(timeout, 256));
  }

  private static AuditEvent event(String target) {
    return AuditEvent.builder("credential.issued").target(target).build();
  }

  @Test
  void aBackendKilledMidAppendFailsTheCallerWritesNothingAndTheNextAppendWorks() throws Exception {
    GroupCommitAuditLog log = log(Duration.ofSeconds(20));
    Future<AuditRecord> append;
    try (Connection holder = lockHolder()) {
      append = log.append(event("killed"));
      long writerPid = awaitLockWaiter();
      AuditTables.execute(url, "SELECT pg_terminate_backend(" + writerPid + ")");
      assertUnavailable(failure(append));
      holder.rollback();
    }
    assertThat(AuditTables.count(url, "true")).isZero();

    AuditRecord after = await(log.append(event("after")));
    assertThat(after.seq()).isEqualTo(1);
    assertThat(await(new ChainVerifier(db.pool()).verify()).ok()).isTrue();
  }

  @Test
  void aLockHeldPastTheDeadlineTimesOutAndNeverCommitsLater() throws Exception {
    GroupCommitAuditLog log = log(Duration.ofSeconds(1));
    try (Connection holder = lockHolder()) {
      Future<AuditRecord> append = log.append(event("late"));
      assertUnavailable(failure(append));
      // The database gave up too (statement_timeout): nobody is left queued on the lock.
      awaitNoLockWaiter();
      holder.rollback();
    }
    AuditRecord after = await(log.append(event("after")));
    assertThat(after.seq()).isEqualTo(1);
    assertThat(AuditTables.count(url, "target = 'late'")).isZero();
  }

  @Test
  void anEventThatTimesOutOnTheLockIsAFailedWaitInAFailedBatch() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    GroupCommitAuditLog log =
        new GroupCommitAuditLog(
            vertx,
            db.pool(),
            Clock.systemUTC(),
            new AuditConfig(Duration.ofSeconds(1), 256),
            registry,
            AuditRedactor.withRandomKey());
    try (Connection holder = lockHolder()) {
      assertUnavailable(failure(log.append(event("late"))));
      awaitNoLockWaiter();
      holder.rollback();
    }
    assertThat(AuditMetricsTest.waits(registry, "failed").count()).isEqualTo(1);
    assertThat(AuditMetricsTest.waits(registry, "committed").count()).isZero();
    assertThat(AuditMetricsTest.batches(registry, "failed").count()).isEqualTo(1);
    assertThat(AuditMetricsTest.batches(registry, "committed").count()).isZero();
  }

  @Test
  void allConnectionsKilledWhileIdleAreReplacedWithoutARestart() throws Exception {
    GroupCommitAuditLog log = log(Patience.AUDIT_COMMIT);
    await(log.append(event("before")));
    // With a timeout, pg_terminate_backend returns once the backends are really gone.
    AuditTables.execute(
        url,
        "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity"
            + " WHERE datname = current_database() AND pid <> pg_backend_pid()");
    // Idle means the pool has seen its connections close. Until then a write can go out on one and
    // be answered by the backend's termination notice, and an answered batch is never retried.
    Eventually.until(
        "the pool to drop its killed connections",
        Duration.ofSeconds(10),
        () -> db.pool().size() == 0);
    AuditRecord healed = await(log.append(event("healed")));
    assertThat(healed.seq()).isEqualTo(2);
    assertThat(await(new ChainVerifier(db.pool()).verify()).ok()).isTrue();
  }

  @Test
  void anUnreachableDatabaseFailsWithinTheTimeout() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    DatabaseUrl nowhere = new DatabaseUrl("127.0.0.1", port, "stint", "postgres", "", Map.of());
    Database down = Database.connect(vertx, nowhere, 2);
    GroupCommitAuditLog log =
        new GroupCommitAuditLog(
            vertx, down.pool(), Clock.systemUTC(), new AuditConfig(Duration.ofSeconds(1), 256));
    assertUnavailable(failure(log.append(event("nowhere"))));
  }

  @Test
  void anEventCarryingASecretIsAnInternalErrorAndIsNotWritten() throws Exception {
    Throwable e =
        failure(
            log(Patience.AUDIT_COMMIT)
                .append(
                    AuditEvent.builder("credential.issued")
                        .detail("secret_access_key", "whatever")
                        .build()));
    assertThat(e)
        .isInstanceOfSatisfying(
            StintException.class, s -> assertThat(s.code()).isEqualTo(ErrorCode.INTERNAL));
    assertThat(AuditTables.count(url, "true")).isZero();
  }

  @Test
  void appendsAfterCloseAreRefused() throws Exception {
    GroupCommitAuditLog log = log(Patience.AUDIT_COMMIT);
    await(log.close());
    assertUnavailable(failure(log.append(event("closed"))));
  }

  private static void assertUnavailable(Throwable e) {
    assertThat(e)
        .isInstanceOfSatisfying(
            StintException.class, s -> assertThat(s.code()).isEqualTo(ErrorCode.AUDIT_UNAVAILABLE));
  }

  /** Another session holding the chain lock, as a stalled replica would. */
  private Connection lockHolder() throws Exception {
    Connection c = AuditTables.connect(url);
    c.setAutoCommit(false);
    try (Statement s = c.createStatement()) {
      s.execute("SELECT pg_advisory_xact_lock(" + BatchWriter.LOCK_KEY + ")");
    }
    return c;
  }

  private List<String> lockWaiters() throws Exception {
    return AuditTables.strings(
        url, "SELECT pid::text FROM pg_locks" + " WHERE locktype = 'advisory' AND NOT granted");
  }

  // Polling the database's lock table: there is no event to wait on.
  private long awaitLockWaiter() throws Exception {
    return Eventually.get(
        "the writer to queue on the chain lock",
        Duration.ofSeconds(10),
        () -> lockWaiters().stream().findFirst().map(Long::parseLong));
  }

  private void awaitNoLockWaiter() throws Exception {
    Eventually.until(
        "no one to wait on the chain lock", Duration.ofSeconds(5), () -> lockWaiters().isEmpty());
  }
}
