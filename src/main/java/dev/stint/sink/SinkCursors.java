package dev.stint.sink;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * Each sink's cursor and lease in {@code audit_sink_cursors}; and, for {@code retention}, how far a
 * sink has delivered as read in the schema owner's JDBC connection.
 */
public final class SinkCursors {
  private final Pool pool;

  public SinkCursors(Pool pool) {
    this.pool = pool;
  }

  /** A new sink starts before seq 1: it receives the whole log, oldest first. */
  Future<Void> ensure(String sink, Instant now) {
    return pool.preparedQuery(
            "INSERT INTO audit_sink_cursors (sink, updated_at) VALUES ($1, $2)"
                + " ON CONFLICT (sink) DO NOTHING")
        .execute(Tuple.of(sink, now.atOffset(ZoneOffset.UTC)))
        .mapEmpty();
  }

  /** The cursor, if this owner holds (or now takes) the sink's lease until {@code until}. */
  Future<Optional<Long>> claim(String sink, String owner, Instant now, Instant until) {
    return pool.preparedQuery(
            "UPDATE audit_sink_cursors SET lease_owner = $2, lease_until = $4"
                + " WHERE sink = $1 AND (lease_until IS NULL OR lease_until < $3 OR lease_owner = $2)"
                + " RETURNING seq")
        .execute(
            Tuple.of(sink, owner, now.atOffset(ZoneOffset.UTC), until.atOffset(ZoneOffset.UTC)))
        .map(
            rows ->
                rows.size() == 0
                    ? Optional.empty()
                    : Optional.of(rows.iterator().next().getLong("seq")));
  }

  /** Moves the cursor forward, only while this owner still holds the lease. */
  Future<Boolean> advance(String sink, String owner, long seq, Instant now) {
    return pool.preparedQuery(
            "UPDATE audit_sink_cursors SET seq = $3, updated_at = $4,"
                + " last_error = NULL WHERE sink = $1 AND lease_owner = $2 AND seq < $3")
        .execute(Tuple.of(sink, owner, seq, now.atOffset(ZoneOffset.UTC)))
        .map(rows -> rows.rowCount() == 1);
  }

  Future<Void> release(String sink, String owner, Optional<String> error) {
    return pool.preparedQuery(
            "UPDATE audit_sink_cursors SET lease_until = NULL,"
                + " last_error = coalesce($3, last_error) WHERE sink = $1 AND lease_owner = $2")
        .execute(Tuple.of(sink, owner, error.orElse(null)))
        .mapEmpty();
  }

  public Future<Long> cursor(String sink) {
    return pool.preparedQuery("SELECT seq FROM audit_sink_cursors WHERE sink = $1")
        .execute(Tuple.of(sink))
        .map(rows -> rows.size() == 0 ? 0L : rows.iterator().next().getLong("seq"));
  }

  /**
   * The seq {@code sink} has delivered up to, 0 if it never delivered anything, read in {@code c}:
   * retention asks between a month's export and its detach, in the schema owner's JDBC connection,
   * where the pool above does not reach.
   */
  public static long deliveredUpTo(Connection c, String sink) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement("SELECT seq FROM audit_sink_cursors WHERE sink = ?")) {
      s.setString(1, sink);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0;
      }
    }
  }
}
