package dev.stint.activity;

import dev.stint.mint.CallSlots;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The turns of {@link CallSlots} in Postgres ({@code cloud_call_slots}), the one thing every
 * replica shares: each turn is handed out by one statement, in order, by the database's clock, so
 * replicas whose clocks differ still keep their turns apart.
 *
 * <p>A turn further ahead than {@code maxWait} is not taken: the caller is put off (counted) and
 * its lookup is due again at its next interval, never dropped. A replica that took a turn and died
 * wastes that one turn; the next caller's comes after it all the same.
 */
public final class SharedCallSlots implements CallSlots {
  /**
   * How far ahead a turn may be: a round looks its credentials up one after another while it holds
   * their lease ({@link ActivityRounds#LEASE}), so each call may wait only a share of it; a queue
   * longer than a round's tick means more replicas are calling than the limit serves, and waiting
   * longer would only hold the round (and its lease) up.
   */
  public static final Duration MAX_WAIT = ActivityRounds.TICK;

  /**
   * The next turn goes to the later of the last one taken and the database's clock now; the turn
   * after it moves on by the caller's spacing, unless the turns already reach beyond {@code
   * maxWait} (then no row is returned and nothing changes). {@code clock_timestamp()}, not {@code
   * now()}: a statement that waited for another's row lock must not date its turn from before the
   * wait.
   */
  static final String RESERVE =
      "INSERT INTO cloud_call_slots AS s (key, next_at)"
          + " VALUES ($1, clock_timestamp() + $2::bigint * interval '1 millisecond')"
          + " ON CONFLICT (key) DO UPDATE"
          + " SET next_at = GREATEST(s.next_at, clock_timestamp()) + $2::bigint * interval"
          + " '1 millisecond'"
          + " WHERE s.next_at <= clock_timestamp() + $3::bigint * interval '1 millisecond'"
          + " RETURNING GREATEST(0, ceil(EXTRACT(EPOCH FROM s.next_at - clock_timestamp())"
          + " * 1000)::bigint - $2) AS wait_ms";

  private final Pool pool;
  private final Duration maxWait;
  private final AtomicLong putOff = new AtomicLong();

  public SharedCallSlots(Pool pool) {
    this(pool, MAX_WAIT);
  }

  SharedCallSlots(Pool pool, Duration maxWait) {
    this.pool = pool;
    this.maxWait = maxWait;
  }

  @Override
  public CompletableFuture<Optional<Duration>> reserve(String key, Duration spacing) {
    return pool.preparedQuery(RESERVE)
        .execute(Tuple.of(key, spacing.toMillis(), maxWait.toMillis()))
        .map(this::turn)
        .toCompletionStage()
        .toCompletableFuture();
  }

  private Optional<Duration> turn(RowSet<Row> rows) {
    if (rows.size() == 0) {
      putOff.incrementAndGet();
      return Optional.empty();
    }
    return Optional.of(Duration.ofMillis(rows.iterator().next().getLong("wait_ms")));
  }

  /** Calls put off since start because the turns reached too far ahead. */
  public long putOff() {
    return putOff.get();
  }
}
