package dev.stint.access;

import dev.stint.common.Timestamps;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What another use case may read and change of requests inside its own transaction: lock one
 * request, read some as they are now, move a grant's end. Extensions run under the request's row
 * lock and change the grant they extend in the same commit; the rows and their columns stay this
 * package's.
 */
public final class RequestsInTransaction {
  private static final String SELECT =
      "SELECT " + RequestRows.REQUEST_COLUMNS + ", ci_rule FROM access_requests";
  private static final String LOCK = SELECT + " WHERE id = $1 FOR UPDATE";
  private static final String READ = SELECT + " WHERE id = ANY($1)";
  private static final String MOVE_END =
      "UPDATE grants SET ends_at = $2, reminded_at = NULL WHERE id = $1";

  private RequestsInTransaction() {}

  /** A request as it is now, and the CI rule that opened it (empty for a person's request). */
  public record Opened(AccessRequest request, Optional<String> ciRule) {}

  /** Request {@code id} under its row lock until {@code conn}'s transaction ends; empty if none. */
  public static Future<Optional<Opened>> lock(SqlConnection conn, String id) {
    return conn.preparedQuery(LOCK)
        .execute(Tuple.of(id))
        .compose(rows -> opened(conn, rows))
        .map(found -> found.stream().findFirst());
  }

  /** The requests named, as they are now, in no particular order; unknown ids are left out. */
  public static Future<List<Opened>> read(SqlConnection conn, Collection<String> ids) {
    return conn.preparedQuery(READ)
        .execute(Tuple.of(ids.toArray(String[]::new)))
        .compose(rows -> opened(conn, rows));
  }

  /** Gives grant {@code grantId} a new end, and with it its own expiry reminder. */
  public static Future<Void> moveGrantEnd(SqlConnection conn, String grantId, Instant end) {
    return conn.preparedQuery(MOVE_END).execute(Tuple.of(grantId, Timestamps.utc(end))).mapEmpty();
  }

  private static Future<List<Opened>> opened(SqlConnection conn, RowSet<Row> rows) {
    Map<String, Optional<String>> ciRules = new HashMap<>();
    rows.forEach(r -> ciRules.put(r.getString("id"), Optional.ofNullable(r.getString("ci_rule"))));
    return RequestLoader.load(conn, rows)
        .map(requests -> requests.stream().map(r -> new Opened(r, ciRules.get(r.id()))).toList());
  }
}
