package dev.stint.checkpoint;

import static dev.stint.testing.AuditTables.await;

import dev.stint.audit.AuditEvent;
import dev.stint.audit.AuditQuery;
import dev.stint.audit.AuditReader;
import dev.stint.audit.AuditRecord;
import dev.stint.audit.ChainVerifier;
import dev.stint.audit.GroupCommitAuditLog;
import dev.stint.config.CheckpointConfig;
import dev.stint.config.DatabaseUrl;
import dev.stint.config.StintConfig.AuditConfig;
import dev.stint.db.Database;
import dev.stint.signing.SigningKeys;
import dev.stint.testing.AuditTables;
import dev.stint.testing.MutableClock;
import dev.stint.testing.Patience;
import dev.stint.testing.RsaKeys;
import dev.stint.testing.TempDirs;
import dev.stint.testing.TestPostgres;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A real audit log on its own database with a checkpointer writing to the given anchors, on a clock
 * the test moves; and the superuser's tools for rewriting history behind stint's back.
 */
final class CheckpointRig implements AutoCloseable {
  final DatabaseUrl url = TestPostgres.migratedDatabase();
  final Vertx vertx = Vertx.vertx();
  final Database db = Database.connect(vertx, url, 4);
  final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));
  final GroupCommitAuditLog log =
      new GroupCommitAuditLog(vertx, db.pool(), clock, new AuditConfig(Patience.AUDIT_COMMIT, 256));
  final SigningKeys keys;
  final CheckpointStore store = new CheckpointStore(db.pool());
  final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  final Checkpointer checkpointer;

  CheckpointRig(int everyEvents, List<Anchor> anchors) throws Exception {
    keys = RsaKeys.developmentKeyIn(TempDirs.create("stint-keys"));
    checkpointer =
        new Checkpointer(
            vertx,
            new Checkpointer.Parts(
                store, new CheckpointSigner("https://stint.test", keys.active()), anchors),
            new CheckpointConfig(
                everyEvents, Duration.ofSeconds(60), Duration.ofMinutes(1), List.of()),
            meters,
            clock);
  }

  /** Verification against the checkpoints in {@code dir}, under this rig's published keys. */
  CheckpointVerification verification(Anchor.Readable source) {
    return new CheckpointVerification(
        vertx,
        new ChainVerifier(db.pool()),
        keys::publicJwkSet,
        CheckpointVerification.anchors(vertx, List.of(source)));
  }

  void append(int n) throws Exception {
    for (int i = 0; i < n; i++) {
      await(
          log.append(
              AuditEvent.builder("request.created")
                  .actor("https://idp.test", "alice", null)
                  .reason("event " + i)
                  .build()));
    }
  }

  void round() throws Exception {
    await(checkpointer.round());
  }

  List<AuditRecord> records() throws Exception {
    return await(
            new AuditReader(db.pool())
                .query(
                    new AuditQuery(
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        1000)))
        .events();
  }

  void tamper(String sql) throws Exception {
    AuditTables.tamper(url, sql);
  }

  /**
   * What a superuser can do: change the reason of {@code seq}, then recompute every hash from there
   * on, so the chain is whole again and only an outside record can tell.
   */
  void rewriteAndRecompute(long seq, String reason) throws Exception {
    List<AuditRecord> rows = records();
    String prev = null;
    try (Connection c = AuditTables.connect(TestPostgres.asSuperuser(url))) {
      try (Statement s = c.createStatement()) {
        s.execute("ALTER TABLE audit_events DISABLE TRIGGER ALL");
      }
      for (AuditRecord r : rows) {
        if (r.seq() < seq) {
          prev = r.hash();
          continue;
        }
        AuditEvent e = r.seq() == seq ? rebuild(r.event(), reason) : r.event();
        AuditRecord fake = new AuditRecord(r.seq(), r.eventId(), r.occurredAt(), e, prev, null);
        String hash = fake.computeHash();
        try (PreparedStatement p =
            c.prepareStatement(
                "UPDATE audit_events SET reason = ?, prev_hash = ?, hash = ? WHERE seq = ?")) {
          p.setString(1, e.reason());
          p.setString(2, prev);
          p.setString(3, hash);
          p.setLong(4, r.seq());
          p.executeUpdate();
        }
        prev = hash;
      }
      try (Statement s = c.createStatement()) {
        s.execute("ALTER TABLE audit_events ENABLE TRIGGER ALL");
      }
    }
  }

  private static AuditEvent rebuild(AuditEvent e, String reason) {
    return new AuditEvent(
        e.type(),
        e.actor(),
        e.requestId(),
        e.grantId(),
        e.profile(),
        e.cloud(),
        e.target(),
        e.outcome(),
        reason,
        e.clientAddress(),
        e.userAgent(),
        e.details());
  }

  static Path tempDir() throws Exception {
    return TempDirs.create("stint-checkpoints");
  }

  @Override
  public void close() throws Exception {
    checkpointer.close();
    await(log.close());
    await(vertx.close());
  }
}
