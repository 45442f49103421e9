package dev.stint.app;

import static dev.stint.app.BootSteps.await;

import dev.stint.audit.AuditKeys;
import dev.stint.audit.AuditLog;
import dev.stint.audit.AuditReader;
import dev.stint.audit.AuditRedactor;
import dev.stint.audit.AuditViews;
import dev.stint.audit.ChainVerifier;
import dev.stint.audit.GroupCommitAuditLog;
import dev.stint.audit.LiveAudit;
import dev.stint.checkpoint.CheckpointSigner;
import dev.stint.checkpoint.Checkpoints;
import dev.stint.config.DatabaseUrl;
import dev.stint.config.StintConfig;
import dev.stint.db.Database;
import dev.stint.db.DatabaseConnections;
import dev.stint.db.DatabaseTimeouts;
import dev.stint.http.CursorSeal;
import dev.stint.http.ReadinessCheck;
import dev.stint.notify.Alarms;
import dev.stint.retention.AuditMaintenance;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The audit's parts: the writer and the live stream (up before HTTP, down after it), then the
 * checkpoints, the months and the sinks. Each part is added to the server's resources as it starts,
 * so that they stop in reverse with the rest.
 */
final class AuditWiring {
  /**
   * The statement deadline of the audit's readers (its pages, the chain's verification, the sinks):
   * the longest any of them waits for a page by itself (ChainVerifier), so that only a connection
   * that outlived its reader is dropped.
   */
  static final Duration AUDIT_READS = Duration.ofSeconds(30);

  private final Vertx vertx;
  private final StintConfig config;
  private final MeterRegistry meters;
  private final DatabaseTimeouts timeouts;
  private final List<AutoCloseable> resources;
  private final Clock clock;
  private GroupCommitAuditLog auditLog;
  private LiveAudit liveAudit;
  private Checkpoints checkpoints;
  private AuditMonths months;
  private AuditSinks sinks;

  AuditWiring(
      Vertx vertx,
      StintConfig config,
      MeterRegistry meters,
      DatabaseTimeouts timeouts,
      List<AutoCloseable> resources,
      Clock clock) {
    this.vertx = vertx;
    this.config = config;
    this.meters = meters;
    this.timeouts = timeouts;
    this.resources = resources;
    this.clock = clock;
  }

  /**
   * The audit writer and the live stream. The writer gets a small pool of its own, on its own event
   * loop: request transactions hold their connection while they wait for their audit event, so
   * sharing one pool could starve the writer.
   */
  AuditLog start(DatabaseUrl url, Database database) {
    AuditLoop loop = new AuditLoop(meters);
    resources.add(loop);
    Pool auditPool = DatabaseConnections.pool(loop.vertx(), url, 2, "stint-audit", timeouts);
    AuditRedactor redactor =
        await(
            AuditKeys.redactor(auditPool), "the audit's redaction key could not be read or stored");
    auditLog =
        new GroupCommitAuditLog(loop.vertx(), auditPool, clock, config.audit(), meters, redactor);
    // Before any append: a server down over a month's end makes the new month first.
    await(AuditMaintenance.ensure(auditPool, clock), "audit months could not be made ahead");
    liveAudit =
        new LiveAudit(vertx, database::subscriber, new AuditReader(database.pool(AUDIT_READS)));
    await(liveAudit.start(), "audit stream (LISTEN stint_audit) could not start");
    return auditLog;
  }

  /**
   * Checkpoints, retention and sinks; what the audit pages read; what readiness checks, given the
   * checks of the other parts (the checkpoints' own comes last).
   *
   * @param ownerUrl the schema owner's: retention detaches and drops months
   */
  ServerRoutes.AuditSide outsideParts(
      Database database,
      DatabaseUrl url,
      DatabaseUrl ownerUrl,
      ServerRoutes.Keys keys,
      Alarms alarms,
      List<ReadinessCheck> otherChecks) {
    Pool pool = database.pool(AUDIT_READS);
    checkpoints =
        new Checkpoints(
            vertx,
            config.audit().checkpoints(),
            new Checkpoints.Needs(
                pool, auditLog, keys.checkpoints(), keys.signer().issuer(), alarms),
            meters,
            clock);
    resources.add(checkpoints);
    await(checkpoints.start(), "audit checkpoints cannot start");
    months =
        AuditMonths.start(
            vertx,
            config.audit(),
            new AuditMonths.Needs(
                pool,
                ownerUrl,
                auditLog,
                () -> new CheckpointSigner(keys.signer().issuer(), keys.checkpoints().active()),
                keys.checkpoints()::published,
                checkpoints.anchors()),
            clock);
    resources.add(months);
    sinks =
        new AuditSinks(
            vertx, config.audit().sinks(), sinkPool(url, pool), config.publicUrl(), meters, clock);
    resources.add(sinks);
    await(sinks.start(), "audit sinks could not start");
    CursorSeal cursors =
        new CursorSeal(
            await(AuditKeys.cursors(pool), "the list cursors' key could not be read or stored"));
    List<ReadinessCheck> checks = new ArrayList<>(otherChecks);
    checks.add(new ReadinessCheck("audit_chain", checkpoints::readiness));
    return new ServerRoutes.AuditSide(
        new AuditViews(new AuditReader(pool), checkpoints.verification(), liveAudit),
        cursors,
        List.copyOf(checks));
  }

  /** Sinks read the audit on a small pool of their own, when there are any. */
  private Pool sinkPool(DatabaseUrl url, Pool shared) {
    return config.audit().sinks().isEmpty()
        ? shared
        : DatabaseConnections.pool(
            vertx, url, 2, "stint-sinks", timeouts.withStatement(AUDIT_READS));
  }

  /** The writer, once started; null before. */
  GroupCommitAuditLog log() {
    return auditLog;
  }

  /** The live stream, once started; null before. */
  LiveAudit live() {
    return liveAudit;
  }

  /** One checkpoint round now (signs when due, delivers what anchors lack). */
  Future<?> checkpointNow() {
    return checkpoints.roundNow();
  }

  /** One round of the audit's months now: those ahead made, retention run when set. */
  Future<?> monthsNow() {
    return months.round();
  }

  /** Every audit sink delivers what it can now. */
  Future<Void> sinkNow() {
    return sinks.pumpNow();
  }

  /** One tamper check now; answers the break found, if any. */
  Future<Optional<ChainVerifier.Result>> tamperCheckNow() {
    return checkpoints.checkNow();
  }
}
