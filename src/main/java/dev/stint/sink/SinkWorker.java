package dev.stint.sink;

import dev.stint.audit.AuditReader;
import dev.stint.audit.AuditRecord;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the audit log to one sink in seq order: read the events after the cursor, deliver them
 * as one batch, move the cursor to the last one, repeat. The cursor moves only after the sink
 * accepted the batch, so nothing is skipped; a batch whose answer was lost is sent again, so
 * receivers may see an event twice (same id). The worker runs beside the audit log, never in its
 * way: a slow or dead sink only grows its lag ({@code stint_audit_sink_lag_seconds}), and past
 * {@code lag_alarm} it says so ({@code stint_audit_sink_lagging}, a log line at ERROR).
 */
public final class SinkWorker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SinkWorker.class);
  static final int BATCH = 500;
  private static final long TICK_MS = 1_000;
  private static final Duration LEASE = Duration.ofMinutes(1);
  private static final long MAX_BACKOFF_MS = 60_000;

  private final Vertx vertx;
  private final Sink sink;
  private final SinkCursors cursors;
  private final AuditReader reader;
  private final Clock clock;
  private final Duration lagAlarm;
  private final String owner = UUID.randomUUID().toString();
  private final AtomicBoolean busy = new AtomicBoolean();
  private final AtomicLong lagEvents = new AtomicLong();
  private final AtomicLong lagSeconds = new AtomicLong();
  private final AtomicInteger lagging = new AtomicInteger();
  private int failures;
  private Instant retryAt = Instant.MIN;
  private long timer = -1;

  /** Where the worker reads and records. */
  public record Parts(Sink sink, SinkCursors cursors, AuditReader reader) {}

  public SinkWorker(
      Vertx vertx, Parts parts, Duration lagAlarm, MeterRegistry meters, Clock clock) {
    this.vertx = vertx;
    this.sink = parts.sink();
    this.cursors = parts.cursors();
    this.reader = parts.reader();
    this.clock = clock;
    this.lagAlarm = lagAlarm;
    Gauge.builder("stint_audit_sink_lag_events", lagEvents, AtomicLong::get)
        .tag("sink", sink.name())
        .description("Audit events not yet delivered to the sink")
        .register(meters);
    Gauge.builder("stint_audit_sink_lag_seconds", lagSeconds, AtomicLong::get)
        .tag("sink", sink.name())
        .description("Age of the oldest audit event not yet delivered to the sink")
        .register(meters);
    Gauge.builder("stint_audit_sink_lagging", lagging, AtomicInteger::get)
        .tag("sink", sink.name())
        .description("1 while the sink is further behind than its lag_alarm")
        .register(meters);
  }

  public Future<Void> start() {
    return cursors
        .ensure(sink.name(), clock.instant())
        .onSuccess(x -> timer = vertx.setPeriodic(TICK_MS, id -> pump()));
  }

  /** Delivers until caught up (or a failure); answers how many events went out. */
  public Future<Integer> pump() {
    if (clock.instant().isBefore(retryAt) || !busy.compareAndSet(false, true)) {
      return Future.succeededFuture(0);
    }
    return round(0).onComplete(x -> busy.set(false));
  }

  private Future<Integer> round(int sent) {
    Instant now = clock.instant();
    return cursors
        .claim(sink.name(), owner, now, now.plus(LEASE))
        .compose(
            cursor -> {
              if (cursor.isEmpty()) {
                return Future.succeededFuture(sent); // another replica delivers for this sink
              }
              return reader
                  .after(cursor.get(), BATCH)
                  .compose(
                      batch -> {
                        measure(cursor.get(), batch);
                        if (batch.isEmpty()) {
                          return cursors.release(sink.name(), owner, Optional.empty()).map(sent);
                        }
                        return deliver(batch)
                            .compose(
                                moved ->
                                    moved && batch.size() == BATCH
                                        ? round(sent + batch.size())
                                        : cursors
                                            .release(sink.name(), owner, Optional.empty())
                                            .map(sent + batch.size()));
                      });
            })
        .recover(
            e -> {
              failures++;
              long wait = Math.min(MAX_BACKOFF_MS, 1_000L << Math.min(failures, 6));
              retryAt = clock.instant().plusMillis(wait);
              LOG.warn(
                  "audit sink {} failed (retrying in {} ms): {}",
                  sink.name(),
                  wait,
                  e.getMessage());
              return cursors
                  .release(sink.name(), owner, Optional.ofNullable(e.getMessage()))
                  .recover(x -> Future.succeededFuture())
                  .map(sent);
            });
  }

  private Future<Boolean> deliver(List<AuditRecord> batch) {
    return vertx
        .<Void>executeBlocking(
            () -> {
              sink.deliver(batch);
              return null;
            },
            false)
        .compose(
            x -> {
              failures = 0;
              long last = batch.get(batch.size() - 1).seq();
              return cursors.advance(sink.name(), owner, last, clock.instant());
            });
  }

  private void measure(long cursor, List<AuditRecord> batch) {
    reader.headSeq().onSuccess(head -> lagEvents.set(Math.max(0, head - cursor)));
    long age =
        batch.isEmpty()
            ? 0
            : Duration.between(batch.get(0).occurredAt(), clock.instant()).toSeconds();
    lagSeconds.set(Math.max(0, age));
    boolean behind = age > lagAlarm.toSeconds();
    if (behind && lagging.getAndSet(1) == 0) {
      LOG.error(
          "audit sink {} is {} s behind (lag_alarm {}); events are kept and will be sent",
          sink.name(),
          age,
          lagAlarm);
    } else if (!behind && lagging.getAndSet(0) == 1) {
      LOG.info("audit sink {} caught up", sink.name());
    }
  }

  @Override
  public void close() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    sink.close();
  }
}
