package dev.stint.audit;

import dev.stint.error.ErrorCode;
import dev.stint.error.StintException;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Reads the audit log: filtered pages (keyset on seq) and seq ranges for the live stream. */
public final class AuditReader {
  private static final long QUERY_TIMEOUT_MS = 10_000;

  private final Pool pool;

  public AuditReader(Pool pool) {
    this.pool = pool;
  }

  public Future<AuditPage> query(AuditQuery q) {
    List<String> where = new ArrayList<>();
    Tuple params = Tuple.tuple();
    params.addLong(q.afterSeq());
    where.add("seq > $1");
    q.since().ifPresent(t -> where.add(param(params, t.atOffset(ZoneOffset.UTC), "occurred_at >= $")));
    q.until().ifPresent(t -> where.add(param(params, t.atOffset(ZoneOffset.UTC), "occurred_at < $")));
    q.actor().ifPresent(a -> {
      params.addString(a);
      int n = params.size();
      where.add("(actor_subject = $" + n + " OR actor_email = $" + n + ")");
    });
    q.profile().ifPresent(p -> where.add(param(params, p, "profile = $")));
    q.type().ifPresent(t -> where.add(param(params, t, "type = $")));
    params.addInteger(q.limit() + 1);
    String sql = "SELECT " + AuditRows.COLUMNS + " FROM audit_events WHERE "
        + String.join(" AND ", where) + " ORDER BY seq LIMIT $" + params.size();
    return rows(sql, params).map(records -> {
      boolean more = records.size() > q.limit();
      List<AuditRecord> page = more ? records.subList(0, q.limit()) : records;
      Optional<String> next = more
          ? Optional.of(AuditQuery.cursorAfter(page.get(page.size() - 1).seq()))
          : Optional.empty();
      return new AuditPage(page, next);
    });
  }

  /** The events of one request and of its grant (a request page's timeline), oldest first. */
  public Future<List<AuditRecord>> ofRequest(String requestId, Optional<String> grantId, int limit) {
    return rows("SELECT " + AuditRows.COLUMNS + " FROM audit_events WHERE request_id = $1"
        + " OR grant_id = $2 ORDER BY seq LIMIT $3",
        Tuple.of(requestId, grantId.orElse(null), limit));
  }

  /** Records with {@code after < seq <= upTo}, at most {@code limit}, in chain order. */
  public Future<List<AuditRecord>> range(long after, long upTo, int limit) {
    return rows("SELECT " + AuditRows.COLUMNS + " FROM audit_events WHERE seq > $1 AND seq <= $2"
        + " ORDER BY seq LIMIT $3", Tuple.of(after, upTo, limit));
  }

  /** The highest seq committed so far (0 when the log is empty). */
  public Future<Long> headSeq() {
    return pool.query("SELECT coalesce(max(seq), 0) AS head FROM audit_events").execute()
        .timeout(QUERY_TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .map(rs -> rs.iterator().next().getLong("head"))
        .recover(e -> Future.failedFuture(unavailable(e)));
  }

  private Future<List<AuditRecord>> rows(String sql, Tuple params) {
    return pool.preparedQuery(sql).execute(params)
        .timeout(QUERY_TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .recover(e -> Future.failedFuture(unavailable(e)))
        .map(rs -> {
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
      throw new StintException(ErrorCode.INTERNAL, "audit event seq " + row.getLong("seq")
          + " cannot be read (run verify): " + e.getMessage());
    }
  }

  private static String param(Tuple params, Object value, String clause) {
    params.addValue(value);
    return clause + params.size();
  }

  private static StintException unavailable(Throwable e) {
    return e instanceof StintException s ? s
        : new StintException(ErrorCode.AUDIT_UNAVAILABLE, "the audit log cannot be read now", e);
  }
}
