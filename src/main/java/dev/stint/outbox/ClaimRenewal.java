package dev.stint.outbox;

import dev.stint.common.Timestamps;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a claimed row's lease alive while its delivery runs. A claim is leased so that a worker
 * that dies mid-delivery only delays the row; but a live worker whose delivery outlasts the lease
 * (a target's turn waited for, a slow cloud, a loaded host) would otherwise see the row claimed
 * again beside it, and both deliveries would write their effects and record them. The renewal names
 * the claim by its attempt, so it never extends a claim another worker has made since.
 */
final class ClaimRenewal {
  private static final Logger LOG = LoggerFactory.getLogger(ClaimRenewal.class);

  static final String RENEW =
      "UPDATE outbox SET lease_until = $3 WHERE id = $1 AND attempts = $2 AND state = 'pending'"
          + " AND lease_until IS NOT NULL";

  private final Vertx vertx;
  private final Pool pool;
  private final Duration lease;
  private final Clock clock;

  ClaimRenewal(Vertx vertx, Pool pool, Duration lease, Clock clock) {
    this.vertx = vertx;
    this.pool = pool;
    this.lease = lease;
    this.clock = clock;
  }

  /**
   * Runs {@code delivery} while renewing the claim of row {@code id}, made at {@code attempt},
   * three times a lease: a renewal that comes late still finds the lease running.
   */
  <T> Future<T> during(long id, int attempt, Future<T> delivery) {
    long every = Math.max(1, lease.toMillis() / 3);
    long timer = vertx.setPeriodic(every, t -> renew(id, attempt));
    return delivery.andThen(x -> vertx.cancelTimer(timer));
  }

  private void renew(long id, int attempt) {
    pool.preparedQuery(RENEW)
        .execute(Tuple.of(id, attempt, Timestamps.utc(clock.instant().plus(lease))))
        .onFailure(
            e ->
                LOG.warn(
                    "outbox {}: renewing the claim failed, the row may be claimed again once its"
                        + " lease ends: {}",
                    id,
                    e.getMessage()));
  }
}
