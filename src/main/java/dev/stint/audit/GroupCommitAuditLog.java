package dev.stint.audit;

import dev.stint.config.StintConfig.AuditConfig;
import dev.stint.error.StintException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Postgres audit log with group commit. Appends queue on one Vert.x context; while one batch
 * commits, the next forms (no fixed wait). Each batch is one transaction that takes the chain head
 * under a transaction-scoped advisory lock, so any number of stint replicas can append to one
 * database without forks or gaps.
 *
 * <p>Every append has a deadline ({@code audit.timeout} from the call). A batch inherits the
 * earliest deadline of its events and the database enforces it too ({@code statement_timeout},
 * {@code idle_in_transaction_session_timeout}), and COMMIT is only sent while time remains, so an
 * event whose caller was told "unavailable" is not committed later. The one window no protocol can
 * close — COMMIT sent, answer lost — is logged with the event ids (see docs/audit.md); the caller
 * is failed, so no credential leaves without its record.
 */
public final class GroupCommitAuditLog implements AuditLog {
  private static final Logger LOG = LoggerFactory.getLogger(GroupCommitAuditLog.class);

  private final Pool pool;
  private final Clock clock;
  private final AuditConfig settings;
  private final AuditRedactor redactor;
  private final Context context;
  private final BatchWriter writer;
  private final AuditMetrics metrics;
  private final ArrayDeque<PendingAppend> queue = new ArrayDeque<>();
  private final int maxQueue;

  /** The queue's size for the metrics' gauge, which is read on another thread. */
  private volatile int queued;

  private boolean writing;
  private boolean closed;
  private Promise<Void> drained;

  /**
   * For tests: its meters are kept in a registry of its own, which nothing publishes, and its
   * redaction key is its own (see {@link AuditKeys} for the one servers share).
   */
  public GroupCommitAuditLog(Vertx vertx, Pool pool, Clock clock, AuditConfig settings) {
    this(vertx, pool, clock, settings, new SimpleMeterRegistry(), AuditRedactor.withRandomKey());
  }

  /** Registers its meters in {@code registry} (see {@link AuditMetrics}). */
  public GroupCommitAuditLog(
      Vertx vertx,
      Pool pool,
      Clock clock,
      AuditConfig settings,
      MeterRegistry registry,
      AuditRedactor redactor) {
    this.pool = pool;
    this.redactor = redactor;
    this.clock = clock;
    this.settings = settings;
    // A context of its own: the queue is only touched there, so it needs no lock.
    this.context = vertx.getOrCreateContext();
    this.writer = new BatchWriter(vertx, pool);
    this.maxQueue = Math.max(settings.maxBatch() * 64, 4096);
    this.metrics = new AuditMetrics(registry, settings.timeout(), () -> queued);
  }

  @Override
  public Future<AuditRecord> append(AuditEvent given) {
    return append(given, Optional.empty());
  }

  @Override
  public Future<AuditRecord> append(AuditEvent given, EventRows.Row<?> row) {
    return append(given, Optional.of(row));
  }

  private Future<AuditRecord> append(AuditEvent given, Optional<EventRows.Row<?>> row) {
    // Callers' secret-shaped text is redacted and recorded; only stint's own values can still
    // make SecretGuard refuse the event (a bug, so it fails closed).
    AuditEvent event = redactor.redact(given);
    try {
      SecretGuard.check(event);
    } catch (StintException e) {
      LOG.error("refused to audit {}: {}", event.type(), e.getMessage());
      return Future.failedFuture(e);
    }
    Promise<AuditRecord> promise = Promise.promise();
    long now = System.nanoTime();
    PendingAppend p =
        new PendingAppend(
            UUID.randomUUID(),
            clock.instant().truncatedTo(ChronoUnit.MICROS),
            event,
            row,
            now,
            now + settings.timeout().toNanos(),
            Vertx.currentContext(),
            promise);
    try {
      context.runOnContext(v -> enqueue(p));
    } catch (RuntimeException e) {
      // Vert.x itself is closed (RejectedExecutionException): an append never throws.
      return Future.failedFuture(BatchWriter.unavailable("stint is shutting down"));
    }
    return promise.future();
  }

  /** Stops taking appends, lets queued ones finish (each is bounded by its deadline). */
  public Future<Void> close() {
    Promise<Void> done = Promise.promise();
    context.runOnContext(
        v -> {
          closed = true;
          if (!writing && queue.isEmpty()) {
            done.complete();
          } else if (drained == null) {
            drained = done;
          } else {
            drained.future().onComplete(done);
          }
        });
    return done.future();
  }

  private void enqueue(PendingAppend p) {
    if (closed) {
      refuse(p, BatchWriter.unavailable("stint is shutting down"));
    } else if (queue.size() >= maxQueue) {
      refuse(p, BatchWriter.unavailable("too many audit events waiting for the database"));
    } else {
      queue.add(p);
      queued = queue.size();
      pump();
    }
  }

  private void pump() {
    if (writing) {
      return;
    }
    List<PendingAppend> batch = takeBatch();
    if (batch.isEmpty()) {
      if (drained != null) {
        drained.tryComplete();
      }
      return;
    }
    writing = true;
    long started = System.nanoTime();
    writer
        .write(batch, earliestDeadline(batch))
        .onComplete(
            done -> {
              long ended = System.nanoTime();
              metrics.batch(batch.size(), started, ended, done.succeeded());
              batch.forEach(p -> metrics.waited(p.appendedNanos(), ended, done.succeeded()));
              if (done.succeeded()) {
                List<AuditRecord> records = done.result();
                for (int i = 0; i < batch.size(); i++) {
                  batch.get(i).succeed(records.get(i));
                }
              } else {
                StintException e =
                    done.cause() instanceof StintException s
                        ? s
                        : BatchWriter.unavailable("the audit log could not be written");
                LOG.warn("audit batch of {} failed: {}", batch.size(), describe(done.cause()));
                batch.forEach(p -> p.fail(e));
              }
              writing = false;
              pump();
            });
  }

  private List<PendingAppend> takeBatch() {
    List<PendingAppend> batch = new ArrayList<>();
    long now = System.nanoTime();
    while (!queue.isEmpty() && batch.size() < settings.maxBatch()) {
      PendingAppend p = queue.poll();
      // Its deadline passed while it queued: it is failed and never written.
      if (p.deadlineNanos() - now <= BatchWriter.COMMIT_RESERVE_NANOS) {
        refuse(p, BatchWriter.unavailable("the audit log did not answer in time"));
      } else {
        batch.add(p);
      }
    }
    queued = queue.size();
    return batch;
  }

  /** Fails an event that never reached a batch; it counts as a failed wait. */
  private void refuse(PendingAppend p, StintException why) {
    metrics.waited(p.appendedNanos(), System.nanoTime(), false);
    p.fail(why);
  }

  private static long earliestDeadline(List<PendingAppend> batch) {
    return batch.stream().mapToLong(PendingAppend::deadlineNanos).min().orElseThrow();
  }

  static String describe(Throwable t) {
    String m = t.getMessage();
    return t.getClass().getSimpleName()
        + (m == null ? "" : ": " + m.lines().findFirst().orElse(""));
  }

  Pool pool() {
    return pool;
  }
}
