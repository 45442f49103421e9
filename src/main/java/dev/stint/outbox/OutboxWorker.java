package dev.stint.outbox;

import dev.stint.audit.AuditEvent;
import dev.stint.audit.AuditLog;
import dev.stint.common.Timestamps;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the outbox. Any replica may run one: a row is claimed with {@code FOR UPDATE SKIP
 * LOCKED} and leased for {@link Settings#lease()}, renewed while its delivery runs ({@link
 * ClaimRenewal}), so two workers never deliver it at the same time, and a worker that dies
 * mid-delivery only delays it until the lease ends. A failed delivery is tried again after the next
 * of {@link Settings#delays()} (the last one repeating), until {@link Settings#giveUpAfter()} from
 * the change, when the row is dead: kept, listed for admins, and retried only when one asks. A row
 * whose listener may not give it up ({@link DurableListener#mayGiveUp}) is retried past that, at
 * the longest delay, until it is delivered.
 */
public final class OutboxWorker<C extends Committed> implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OutboxWorker.class);

  /** How often to look, how long a claim lasts, how to back off, and when to give up. */
  public record Settings(
      Duration poll, Duration lease, List<Duration> delays, Duration giveUpAfter, int concurrency) {
    public static final List<Duration> DELAYS =
        List.of(
            Duration.ofSeconds(10),
            Duration.ofMinutes(1),
            Duration.ofMinutes(5),
            Duration.ofMinutes(15),
            Duration.ofHours(1));

    public Settings {
      delays = List.copyOf(delays);
      if (delays.isEmpty() || concurrency < 1) {
        throw new IllegalArgumentException("an outbox needs delays and at least one delivery");
      }
    }

    public static Settings of(Duration giveUpAfter, Duration lease) {
      return new Settings(Duration.ofSeconds(1), lease, DELAYS, giveUpAfter, 4);
    }
  }

  /**
   * Gets a change back from what its row kept, for delivery: the request as it is now, with the
   * row's event, actor, comment and time. Empty when the request no longer exists (the row is then
   * dead).
   */
  @FunctionalInterface
  public interface Changes<C extends Committed> {
    Future<Optional<C>> rebuild(Committed.Recorded recorded);
  }

  /**
   * Turns use the two-key advisory lock space (disjoint from the audit chain's one-key lock), this
   * constant first, so no turn can ever wait on the audit writer that its delivery needs.
   */
  private static final int TURNS = 0x53544f42;

  public static final String CLAIM =
      "UPDATE outbox SET lease_until = $2, attempts = attempts + 1"
          + " WHERE id = (SELECT id FROM outbox WHERE state = 'pending' AND next_attempt_at <= $1"
          + " AND (lease_until IS NULL OR lease_until <= $1) AND listener = ANY($3)"
          + " ORDER BY next_attempt_at, id LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING "
          + Outbox.COLUMNS;
  private static final String TRY_TURN = "SELECT pg_try_advisory_xact_lock($1, hashtext($2))";

  private final Vertx vertx;
  private final Pool pool;
  private final Outbox<C> outbox;
  private final Changes<C> changes;
  private final Settings settings;
  private final AuditLog audit;
  private final Clock clock;
  private final ClaimRenewal renewal;
  private final AtomicInteger running = new AtomicInteger();
  private final Promise<Void> stopped = Promise.promise();
  private volatile boolean stopping;
  private long timer = -1;

  public OutboxWorker(
      Vertx vertx,
      Pool pool,
      Outbox<C> outbox,
      Changes<C> changes,
      Settings settings,
      AuditLog audit,
      Clock clock) {
    this.audit = audit;
    this.vertx = vertx;
    this.pool = pool;
    this.outbox = outbox;
    this.changes = changes;
    this.settings = settings;
    this.clock = clock;
    this.renewal = new ClaimRenewal(vertx, pool, settings.lease(), clock);
  }

  /** Looks every {@code poll} from now on. */
  public void start() {
    timer = vertx.setPeriodic(settings.poll().toMillis(), t -> poke());
  }

  /** Delivers what is due now (a change just committed, or the periodic look). */
  public void poke() {
    if (stopping) {
      return;
    }
    if (running.incrementAndGet() > settings.concurrency()) {
      idle();
      return;
    }
    drain()
        .onComplete(
            done -> {
              idle();
              if (done.failed()) {
                LOG.warn("outbox delivery stopped: {}", done.cause().getMessage());
              }
            });
  }

  private void idle() {
    if (running.decrementAndGet() == 0 && stopping) {
      stopped.tryComplete();
    }
  }

  /**
   * Claims no more rows and answers when the deliveries under way have finished, so a server that
   * stops (SIGTERM) records their outcome before its audit log closes; a row it never claimed waits
   * in the outbox for the next replica.
   */
  public Future<Void> stop() {
    stopping = true;
    close();
    if (running.get() == 0) {
      stopped.tryComplete();
    }
    return stopped.future();
  }

  /**
   * Delivers due rows one after another until none is due; answers how many it attempted (a row put
   * back because another replica has its turn does not count).
   */
  public Future<Integer> drain() {
    return drain(0);
  }

  private Future<Integer> drain(int done) {
    return claim()
        .compose(
            row ->
                row.isEmpty()
                    ? Future.succeededFuture(done)
                    : deliver(row.get()).compose(attempted -> drain(attempted ? done + 1 : done)));
  }

  private Future<Optional<Row>> claim() {
    List<String> names = outbox.listenerNames();
    if (names.isEmpty() || stopping) {
      return Future.succeededFuture(Optional.empty());
    }
    Instant now = clock.instant();
    return pool.preparedQuery(CLAIM)
        .execute(
            Tuple.of(
                Timestamps.utc(now),
                Timestamps.utc(now.plus(settings.lease())),
                names.toArray(String[]::new)))
        .map(
            rows -> rows.size() == 0 ? Optional.<Row>empty() : Optional.of(rows.iterator().next()));
  }

  /** Answers whether it attempted the delivery (false: put back to wait for its turn). */
  private Future<Boolean> deliver(Row row) {
    long id = row.getLong("id");
    int attempt = row.getInteger("attempts");
    DurableListener<C> listener = outbox.listener(row.getString("listener")).orElseThrow();
    DurableListener.Delivery delivery = new DurableListener.Delivery(id, attempt);
    return renewal.during(id, attempt, rebuildAndAttempt(row, listener, delivery));
  }

  private Future<Boolean> rebuildAndAttempt(
      Row row, DurableListener<C> listener, DurableListener.Delivery delivery) {
    long id = delivery.id();
    return changes
        .rebuild(Outbox.recorded(row))
        .compose(
            found -> {
              if (found.isEmpty()) {
                return finish(
                        id, "dead", "request " + row.getString("request_id") + " no longer exists")
                    .map(true);
              }
              C change = found.get();
              Optional<String> turn = listener.turn(change);
              return turn.isEmpty()
                  ? attempt(row, listener, change, delivery).map(true)
                  : inTurn(turn.get(), delivery, () -> attempt(row, listener, change, delivery));
            });
  }

  private Future<Void> attempt(
      Row row, DurableListener<C> listener, C change, DurableListener.Delivery delivery) {
    return safely(() -> listener.deliver(change, delivery))
        .compose(x -> finish(delivery.id(), "done", null))
        .compose(
            x ->
                listener.audits()
                    ? Future.<Void>succeededFuture()
                    : record("outbox.delivered", "ok", "delivered", listener, change, delivery))
        .recover(e -> failed(row, listener, change, delivery, message(e)));
  }

  /**
   * Runs the delivery while this worker holds the turn's transaction-scoped advisory lock. When
   * another replica holds it, the row goes back in line for the next look without counting an
   * attempt: waiting would hold a pooled connection for as long as the other's IAM calls take.
   */
  private Future<Boolean> inTurn(
      String turn, DurableListener.Delivery delivery, Supplier<Future<Void>> work) {
    return pool.withTransaction(
        conn ->
            conn.preparedQuery(TRY_TURN)
                .execute(Tuple.of(TURNS, turn))
                .compose(
                    rows ->
                        rows.iterator().next().getBoolean(0)
                            ? work.get().map(true)
                            : pool.preparedQuery(
                                    "UPDATE outbox SET attempts = attempts - 1, lease_until = NULL,"
                                        + " next_attempt_at = $2 WHERE id = $1")
                                .execute(
                                    Tuple.of(
                                        delivery.id(),
                                        Timestamps.utc(clock.instant().plus(settings.poll()))))
                                .map(false)));
  }

  /**
   * Waits, in {@code conn}'s transaction, for the turn that deliveries naming {@code turn} take
   * across replicas, at most {@code wait} (then the statement fails): for a listener whose turn is
   * known only once it has read what the delivery touches. Released when the transaction ends.
   */
  public static Future<Void> awaitTurn(SqlConnection conn, String turn, Duration wait) {
    return conn.preparedQuery("SELECT set_config('lock_timeout', $1, true)")
        .execute(Tuple.of(wait.toMillis() + "ms"))
        .compose(
            x ->
                conn.preparedQuery("SELECT pg_advisory_xact_lock($1, hashtext($2))")
                    .execute(Tuple.of(TURNS, turn)))
        .mapEmpty();
  }

  private Future<Void> failed(
      Row row,
      DurableListener<C> listener,
      C change,
      DurableListener.Delivery delivery,
      String why) {
    Instant now = clock.instant();
    boolean overdue =
        !now.isBefore(row.getOffsetDateTime("created_at").toInstant().plus(settings.giveUpAfter()));
    boolean last = overdue && listener.mayGiveUp(change);
    LOG.warn(
        "outbox {} ({} for {} {}) attempt {} failed{}: {}",
        delivery.id(),
        listener.name(),
        change.event(),
        change.requestId(),
        delivery.attempt(),
        last ? ", giving up" : overdue ? ", past outbox.give_up_after, never given up" : "",
        why);
    // Past its patience, a row the outbox may not give up on waits the longest backoff.
    int step =
        overdue ? settings.delays().size() : Math.min(delivery.attempt(), settings.delays().size());
    Duration delay = settings.delays().get(step - 1);
    Future<Void> written =
        last
            ? finish(delivery.id(), "dead", why)
            : pool.preparedQuery(
                    "UPDATE outbox SET next_attempt_at = $2, last_error = $3,"
                        + " lease_until = NULL WHERE id = $1")
                .execute(Tuple.of(delivery.id(), Timestamps.utc(now.plus(delay)), why))
                .mapEmpty();
    Future<Void> told =
        written.compose(
            x ->
                listener.audits() || !last
                    ? Future.<Void>succeededFuture()
                    : record(
                        "outbox.dead",
                        "error",
                        why + "; giving up (stint admin outbox retries it)",
                        listener,
                        change,
                        delivery));
    return told.compose(
        x ->
            safely(() -> listener.failed(change, delivery, why, overdue))
                .recover(
                    e -> {
                      LOG.error(
                          "outbox {}: recording the failure failed: {}", delivery.id(), message(e));
                      return Future.succeededFuture();
                    }));
  }

  private Future<Void> record(
      String type,
      String outcome,
      String reason,
      DurableListener<C> listener,
      C change,
      DurableListener.Delivery d) {
    AuditEvent event =
        AuditEvent.builder(type)
            .actor(AuditEvent.Actor.SYSTEM)
            .requestId(change.requestId())
            .profile(change.profile())
            .outcome(outcome)
            .reason(reason)
            .detail("listener", listener.name())
            .detail("event", change.event())
            .detail("attempt", (long) d.attempt())
            .detail("outbox_id", d.id())
            .build();
    return audit.append(event).mapEmpty();
  }

  private Future<Void> finish(long id, String state, String why) {
    return pool.preparedQuery(
            "UPDATE outbox SET state = $2, done_at = $3, last_error ="
                + " coalesce($4, last_error), lease_until = NULL WHERE id = $1")
        .execute(Tuple.of(id, state, Timestamps.utc(clock.instant()), why))
        .mapEmpty();
  }

  private static Future<Void> safely(Supplier<Future<Void>> work) {
    try {
      return work.get();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  private static String message(Throwable e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  @Override
  public void close() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }
}
