package dev.stint.audit;

import dev.stint.error.ErrorCode;
import dev.stint.error.StintException;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Reads the audit log: filtered pages (keyset on seq) and seq ranges for the live stream. */
public final class AuditReader {
  private static final long QUERY_TIMEOUT_MS = 10_000;

  private final Pool pool;

  public AuditReader(Pool pool) {
    this.pool = pool;
  }

  /** A statement and its parameters: the SQL the reader runs, as the plan test explains it. */
  record Statement(String sql, Tuple params) {}

  static final String OF_REQUEST =
      "SELECT "
          + AuditRows.COLUMNS
          + " FROM audit_events"
          + " WHERE request_id = $1 OR grant_id = $2 ORDER BY seq";
  static final String AFTER =
      "SELECT " + AuditRows.COLUMNS + " FROM audit_events" + " WHERE seq > $1 ORDER BY seq";
  static final String HEAD = "SELECT coalesce(max(seq), 0) AS head FROM audit_events";
  static final String NEWEST = "SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1";
  static final String OF_TYPE =
      "SELECT 1 FROM audit_events WHERE request_id = $1 AND type = $2 LIMIT 1";
  static final String OF_TYPE_WITH =
      "SELECT 1 FROM audit_events WHERE request_id = $1 AND type = $2 AND details ->> $3 = $4"
          + " LIMIT 1";
  static final String STAMPED =
      "SELECT "
          + AuditRows.COLUMNS
          + " FROM audit_events"
          + " WHERE occurred_at >= $1 AND occurred_at < $2 AND seq > $3 ORDER BY seq";

  /**
   * How long an event may wait between being stamped and taking its seq, with room for clock skew
   * between replicas: far more than any audit deadline. It turns a time bound into a seq bound,
   * since the events stamped before {@code since - SETTLED} all took their seq before any event
   * stamped at {@code since}. Without it, the first page of a time window walks the log in seq
   * order from its start, discarding every older event (seq and time agree only roughly, so neither
   * index alone serves both the window and the order).
   */
  private static final String SETTLED = "interval '1 hour'";

  /**
   * {@code sql} with its row limit written into the text. Given as a parameter, the limit is
   * unknown to the plan Postgres caches for a prepared statement, which it then costs as reading a
   * share of every month and never chooses: it plans each execution afresh, and planning a read of
   * the partitioned log costs more with every month kept, more than the read itself. With the
   * number in the text the cached plan is cheap and reused; the statements differ only by page
   * size, of which there are few.
   */
  static String limited(String sql, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("a page holds at least one row");
    }
    return sql + " LIMIT " + limit;
  }

  /** One more row than the page asks for, to tell whether more remain. */
  static Statement statement(AuditQuery q) {
    List<String> where = new ArrayList<>();
    Tuple params = Tuple.tuple();
    params.addLong(q.afterSeq());
    where.add("seq > $1");
    q.since()
        .ifPresent(
            t -> {
              where.add(param(params, t.atOffset(ZoneOffset.UTC), "occurred_at >= $"));
              where.add(
                  "seq > coalesce((SELECT seq FROM audit_events WHERE occurred_at < $"
                      + params.size()
                      + " - "
                      + SETTLED
                      + " ORDER BY occurred_at DESC LIMIT 1), 0)");
            });
    q.until()
        .ifPresent(
            t -> {
              where.add(param(params, t.atOffset(ZoneOffset.UTC), "occurred_at < $"));
              where.add(
                  "seq < coalesce((SELECT seq FROM audit_events WHERE occurred_at >= $"
                      + params.size()
                      + " + "
                      + SETTLED
                      + " ORDER BY occurred_at LIMIT 1), "
                      + Long.MAX_VALUE
                      + ")");
            });
    q.profile().ifPresent(p -> where.add(param(params, p, "profile = $")));
    q.type().ifPresent(t -> where.add(param(params, t, "type = $")));
    int rows = q.limit() + 1;
    if (q.actor().isEmpty()) {
      return new Statement(page(where, rows), params);
    }
    int actor = params.size() + 1;
    params.addString(q.actor().get());
    return new Statement(
        limited(
            "SELECT "
                + AuditRows.COLUMNS
                + " FROM ("
                + "("
                + page(with(where, "actor_subject = $" + actor), rows)
                + ") UNION ALL ("
                + page(
                    with(
                        where,
                        "actor_email = $"
                            + actor
                            + " AND actor_subject IS DISTINCT FROM $"
                            + actor),
                    rows)
                + ")) AS by_actor ORDER BY seq",
            rows),
        params);
  }

  /**
   * One page in seq order. An actor is a subject or an email, each with its own index in seq order:
   * as one OR the planner reads every event of the actor and sorts them all (a year of a busy
   * person's events for a page); as two pages, each stops after its rows, and merging them sorts
   * two pages at most. The second leaves out what the first found, so nothing is doubled.
   */
  private static String page(List<String> where, int rows) {
    return limited(
        "SELECT "
            + AuditRows.COLUMNS
            + " FROM audit_events WHERE "
            + String.join(" AND ", where)
            + " ORDER BY seq",
        rows);
  }

  private static List<String> with(List<String> where, String clause) {
    List<String> out = new ArrayList<>(where);
    out.add(clause);
    return out;
  }

  public Future<AuditPage> query(AuditQuery q) {
    Statement st = statement(q);
    return rows(st.sql(), st.params())
        .map(
            records -> {
              boolean more = records.size() > q.limit();
              List<AuditRecord> page = more ? records.subList(0, q.limit()) : records;
              Optional<String> next =
                  more
                      ? Optional.of(AuditQuery.cursorAfter(page.get(page.size() - 1).seq()))
                      : Optional.empty();
              return new AuditPage(page, next);
            });
  }

  /** The events of one request and of its grant (a request page's timeline), oldest first. */
  public Future<List<AuditRecord>> ofRequest(
      String requestId, Optional<String> grantId, int limit) {
    return rows(limited(OF_REQUEST, limit), Tuple.of(requestId, grantId.orElse(null)));
  }

  /** The first {@code limit} records after seq {@code after}, in chain order. */
  public Future<List<AuditRecord>> after(long after, int limit) {
    return rows(limited(AFTER, limit), Tuple.of(after));
  }

  /** The newest event's place in the chain: its seq and hash. */
  public record Newest(long seq, String hash) {}

  /**
   * The newest event, read on {@code client}: the caller's own transaction when what it does with
   * the answer must hold with what it read (a checkpoint signs it).
   */
  public static Future<Optional<Newest>> newest(SqlClient client) {
    return client
        .query(NEWEST)
        .execute()
        .map(
            rows ->
                rows.size() == 0
                    ? Optional.empty()
                    : Optional.of(
                        new Newest(
                            rows.iterator().next().getLong("seq"),
                            rows.iterator().next().getString("hash"))));
  }

  /**
   * Whether an event of {@code type} about {@code requestId} is in the log, read on {@code client}.
   */
  public static Future<Boolean> recorded(SqlClient client, String requestId, String type) {
    return client
        .preparedQuery(OF_TYPE)
        .execute(Tuple.of(requestId, type))
        .map(rows -> rows.size() > 0);
  }

  /**
   * Whether an event of {@code type} about {@code requestId} whose detail {@code key} is {@code
   * value} is in the log (one of several of a type per request, such as each lease's).
   */
  public static Future<Boolean> recorded(
      SqlClient client, String requestId, String type, Map.Entry<String, String> detail) {
    return client
        .preparedQuery(OF_TYPE_WITH)
        .execute(Tuple.of(requestId, type, detail.getKey(), detail.getValue()))
        .map(rows -> rows.size() > 0);
  }

  /** The highest seq committed so far (0 when the log is empty). */
  public Future<Long> headSeq() {
    return pool.query(HEAD)
        .execute()
        .timeout(QUERY_TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .map(rs -> rs.iterator().next().getLong("head"))
        .recover(e -> Future.failedFuture(unavailable(e)));
  }

  private Future<List<AuditRecord>> rows(String sql, Tuple params) {
    return pool.preparedQuery(sql)
        .execute(params)
        .timeout(QUERY_TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .recover(e -> Future.failedFuture(unavailable(e)))
        .map(
            rs -> {
              List<AuditRecord> out = new ArrayList<>(rs.size());
              for (Row row : rs) {
                out.add(readable(row));
              }
              return out;
            });
  }

  private static AuditRecord readable(Row row) {
    try {
      return AuditRows.fromRow(row);
    } catch (IllegalArgumentException e) {
      throw new StintException(
          ErrorCode.INTERNAL,
          "audit event seq "
              + row.getLong("seq")
              + " cannot be read (run verify): "
              + e.getMessage());
    }
  }

  private static String param(Tuple params, Object value, String clause) {
    params.addValue(value);
    return clause + params.size();
  }

  private static StintException unavailable(Throwable e) {
    return e instanceof StintException s
        ? s
        : new StintException(ErrorCode.AUDIT_UNAVAILABLE, "the audit log cannot be read now", e);
  }

  /**
   * The events stamped in [{@code from}, {@code until}) after {@code afterSeq}, in seq order, at
   * most {@code limit}: one month partition read page by page (its export).
   */
  public Future<List<AuditRecord>> stamped(Instant from, Instant until, long afterSeq, int limit) {
    return pool.preparedQuery(limited(STAMPED, limit))
        .execute(Tuple.of(from.atOffset(ZoneOffset.UTC), until.atOffset(ZoneOffset.UTC), afterSeq))
        .map(
            rows -> {
              List<AuditRecord> out = new ArrayList<>(rows.size());
              rows.forEach(r -> out.add(AuditRows.fromRow(r)));
              return out;
            });
  }
}
