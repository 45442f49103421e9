package dev.stint.outbox;

import dev.stint.common.Timestamps;
import dev.stint.identity.Person;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The side effects of committed changes, kept in Postgres (table {@code outbox}): a change is
 * written here in its own transaction, one row per {@link DurableListener} that wants it, so a
 * decision never commits without its effects, and no effect is lost to a restart or a crashed
 * replica. {@link OutboxWorker} delivers the rows.
 */
public final class Outbox<C extends Committed> {
  public static final String COLUMNS =
      "id, listener, event, request_id, actor_issuer, actor_subject,"
          + " actor_email, comment, happened_at, state, attempts, next_attempt_at, last_error,"
          + " created_at, done_at";
  private static final String INSERT =
      "INSERT INTO outbox (listener, event, request_id,"
          + " actor_issuer, actor_subject, actor_email, comment, happened_at, next_attempt_at,"
          + " created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)";
  public static final String UNDELIVERED =
      "SELECT " + COLUMNS + " FROM outbox WHERE state <> 'done'" + " ORDER BY id LIMIT $1";

  /** Rows scheduled for later (created after {@code $1}) are not waiting yet. */
  public static final String BACKLOG =
      "SELECT count(*) FILTER (WHERE state = 'pending' AND created_at <= $1) AS pending,"
          + " min(created_at) FILTER (WHERE state = 'pending' AND created_at <= $1) AS oldest,"
          + " count(*) FILTER (WHERE state = 'dead') AS dead FROM outbox WHERE state <> 'done'";

  private final Pool pool;
  private final Map<String, DurableListener<C>> listeners = new ConcurrentHashMap<>();

  public Outbox(Pool pool) {
    this.pool = pool;
  }

  /** Adds a listener; rows name it, so its name must stay the same across releases. */
  public void register(DurableListener<C> listener) {
    if (listeners.putIfAbsent(listener.name(), listener) != null) {
      throw new IllegalArgumentException("two outbox listeners named " + listener.name());
    }
  }

  Optional<DurableListener<C>> listener(String name) {
    return Optional.ofNullable(listeners.get(name));
  }

  List<String> listenerNames() {
    return List.copyOf(listeners.keySet());
  }

  /**
   * Writes the changes' effects on {@code conn}, inside the transaction that makes them: a row for
   * each listener that wants a change and, having recorded what it needs, has work for it.
   */
  public Future<Void> enqueue(SqlClient conn, List<? extends C> changes) {
    Future<List<Tuple>> rows = Future.succeededFuture(new ArrayList<>());
    for (C c : changes) {
      for (DurableListener<C> l : listeners.values()) {
        if (l.wants(c)) {
          rows =
              rows.compose(
                  out ->
                      l.record(conn, c)
                          .map(
                              work -> {
                                if (work) {
                                  out.add(row(l, c));
                                }
                                return out;
                              }));
        }
      }
    }
    return rows.compose(
        out ->
            out.isEmpty()
                ? Future.succeededFuture()
                : conn.preparedQuery(INSERT).executeBatch(out).mapEmpty());
  }

  /**
   * Writes, on {@code conn}, {@code change}'s row for {@code listener} alone, as {@link #enqueue}
   * writes it in the change's own transaction (the listener records what it needs, and answers
   * whether there is work): for work whose row was lost after its change committed (a replica that
   * did not register the listener), restored by the listener's own package. Answers whether a row
   * was written.
   */
  public Future<Boolean> enqueue(SqlClient conn, DurableListener<C> listener, C change) {
    return listener
        .record(conn, change)
        .compose(
            work ->
                work
                    ? conn.preparedQuery(INSERT).execute(row(listener, change)).map(true)
                    : Future.succeededFuture(false));
  }

  /**
   * A row joins the line ({@code created_at}, and its first {@code next_attempt_at}) at its change,
   * or later when its listener says the work may not run before then ({@link
   * DurableListener#notBefore}); the outbox's patience and backlog count from that time.
   */
  private static <C extends Committed> Tuple row(DurableListener<C> l, C c) {
    Instant due = l.notBefore(c).filter(t -> t.isAfter(c.at())).orElse(c.at());
    return Tuple.of(
            l.name(),
            c.event(),
            c.requestId(),
            c.actor().issuer(),
            c.actor().subject(),
            c.actor().email().orElse(null),
            c.comment().orElse(null),
            Timestamps.utc(c.at()))
        .addValue(Timestamps.utc(due));
  }

  /** One row as admins see it. */
  public record Entry(
      long id,
      String listener,
      String event,
      String requestId,
      String state,
      int attempts,
      Instant nextAttemptAt,
      Optional<String> lastError,
      Instant createdAt,
      Optional<Instant> doneAt) {}

  /** Rows not yet delivered (pending and dead), oldest first. */
  public Future<List<Entry>> undelivered(int limit) {
    return pool.preparedQuery(UNDELIVERED)
        .execute(Tuple.of(limit))
        .map(
            rows -> {
              List<Entry> out = new ArrayList<>();
              rows.forEach(r -> out.add(entry(r)));
              return out;
            });
  }

  /**
   * Puts a pending or dead row back in line for delivery now; its attempts and history stay. Empty
   * when there is no such row, or it has been delivered.
   */
  public Future<Optional<Entry>> retry(long id, Instant now) {
    return pool.preparedQuery(
            "UPDATE outbox SET state = 'pending', next_attempt_at = $2,"
                + " lease_until = NULL WHERE id = $1 AND state <> 'done' RETURNING "
                + COLUMNS)
        .execute(Tuple.of(id, Timestamps.utc(now)))
        .map(
            rows ->
                rows.size() == 0
                    ? Optional.<Entry>empty()
                    : Optional.of(entry(rows.iterator().next())));
  }

  /** How many rows wait for delivery, how long the oldest has waited, and how many gave up. */
  public record Backlog(long pending, Duration oldest, long dead) {}

  public Future<Backlog> backlog(Instant now) {
    return pool.preparedQuery(BACKLOG)
        .execute(Tuple.of(Timestamps.utc(now)))
        .map(
            rows -> {
              Row r = rows.iterator().next();
              Instant oldest =
                  r.getOffsetDateTime("oldest") == null
                      ? now
                      : r.getOffsetDateTime("oldest").toInstant();
              Duration age = Duration.between(oldest, now);
              return new Backlog(
                  r.getLong("pending"), age.isNegative() ? Duration.ZERO : age, r.getLong("dead"));
            });
  }

  static Entry entry(Row r) {
    return new Entry(
        r.getLong("id"),
        r.getString("listener"),
        r.getString("event"),
        r.getString("request_id"),
        r.getString("state"),
        r.getInteger("attempts"),
        r.getOffsetDateTime("next_attempt_at").toInstant(),
        Optional.ofNullable(r.getString("last_error")),
        r.getOffsetDateTime("created_at").toInstant(),
        Optional.ofNullable(r.getOffsetDateTime("done_at")).map(t -> t.toInstant()));
  }

  static Committed.Recorded recorded(Row r) {
    return new Committed.Recorded(
        r.getString("event"),
        r.getString("request_id"),
        new Person(
            r.getString("actor_issuer"),
            r.getString("actor_subject"),
            Optional.ofNullable(r.getString("actor_email"))),
        Optional.ofNullable(r.getString("comment")),
        r.getOffsetDateTime("happened_at").toInstant());
  }
}
