package dev.stint.retention;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the audit table's months: partitions made ahead of the clock, at boot and every hour, and
 * (with {@code audit.retention}) old months exported and dropped on the same schedule.
 *
 * <p>An append must never fail for want of a month. There is no DEFAULT partition to catch strays:
 * rows in one would have to be moved before their month could be made, and a month could no longer
 * be attached without scanning it. Instead three months are kept ahead, from a day behind the clock
 * (a replica whose clock lags at a month's end): boot refuses to start without them, and the hourly
 * round gives a server that keeps running months of retries before the last one is used, each
 * failure logged. A server that was down over a month's end makes the new month before it serves.
 */
public final class AuditMaintenance implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AuditMaintenance.class);
  public static final Duration EVERY = Duration.ofHours(1);
  private static final int MONTHS_AHEAD = 3;

  private final Vertx vertx;
  private final Pool pool;
  private final Optional<AuditRetention> retention;
  private final Clock clock;
  private final AtomicBoolean running = new AtomicBoolean();
  private long timer = -1;

  public AuditMaintenance(Vertx vertx, Pool pool, Optional<AuditRetention> retention, Clock clock) {
    this.vertx = vertx;
    this.pool = pool;
    this.retention = retention;
    this.clock = clock;
  }

  /**
   * Makes the months from a day ago to three months ahead that are missing, through
   * audit_partitions_ensure (the runtime role may call it: it only adds empty months).
   */
  public Future<Integer> ensurePartitions() {
    return ensure(pool, clock);
  }

  /** As {@link #ensurePartitions()}, for boot, before the maintenance schedule exists. */
  public static Future<Integer> ensure(Pool pool, Clock clock) {
    Instant now = clock.instant();
    return pool.preparedQuery("SELECT audit_partitions_ensure($1, $2)")
        .execute(
            Tuple.of(
                now.minus(Duration.ofDays(1)).atOffset(ZoneOffset.UTC),
                now.atOffset(ZoneOffset.UTC).plusMonths(MONTHS_AHEAD)))
        .map(rows -> rows.iterator().next().getInteger(0))
        .onSuccess(
            made -> {
              if (made > 0) {
                LOG.info("made {} audit month partition(s) ahead of the clock", made);
              }
            });
  }

  public void start() {
    timer = vertx.setPeriodic(EVERY.toMillis(), id -> round());
  }

  /** One round now: months ahead, then retention (off the event loop). Test seam. */
  public Future<Optional<AuditRetention.Round>> round() {
    if (!running.compareAndSet(false, true)) {
      return Future.succeededFuture(Optional.empty());
    }
    return ensurePartitions()
        .onFailure(
            e -> LOG.error("audit month partitions could not be made ahead: {}", e.getMessage()))
        .otherwiseEmpty()
        .compose(
            v ->
                retention.isEmpty()
                    ? Future.<Optional<AuditRetention.Round>>succeededFuture(Optional.empty())
                    : vertx.executeBlocking(() -> Optional.of(retention.get().runOnce()), false))
        .onComplete(done -> running.set(false));
  }

  @Override
  public void close() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }
}
