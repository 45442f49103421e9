package dev.stint.finding;

import dev.stint.common.Timestamps;
import dev.stint.policy.FindingRule;
import dev.stint.policy.FindingSeverity;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The findings table: written in the transaction that judges the calls, read by id and scope. */
final class FindingStore implements FindingLookup {
  /** The most findings one read answers, newest first. */
  private static final int LIMIT = FindingPage.LIMIT;

  static final String ONE = "SELECT " + FindingRows.COLUMNS + " FROM findings WHERE id = $1";

  static final String OF_REQUEST =
      "SELECT "
          + FindingRows.COLUMNS
          + " FROM findings WHERE request_id = $1 ORDER BY raised_at DESC, id DESC LIMIT "
          + LIMIT;

  static final String OF_LEASE =
      "SELECT "
          + FindingRows.COLUMNS
          + " FROM findings WHERE lease_id = $1 ORDER BY raised_at DESC, id DESC LIMIT "
          + LIMIT;

  /**
   * Since a time, at least a severity (given as the severities that pass), of a rule when one is
   * given; one more than the limit, to tell a cut list.
   */
  static final String SINCE =
      "SELECT "
          + FindingRows.COLUMNS
          + " FROM findings WHERE raised_at >= $1 AND severity = ANY($2)"
          + " AND ($3::text IS NULL OR rule = $3) ORDER BY raised_at DESC, id DESC LIMIT "
          + (LIMIT + 1);

  static final String ACTED =
      "UPDATE findings SET acted_at = $2 WHERE id = $1 AND acted_at IS NULL";

  private final Pool pool;

  public FindingStore(Pool pool) {
    this.pool = pool;
  }

  /** Writes {@code findings} on {@code conn}, inside the transaction that judged their calls. */
  static Future<Void> insert(SqlClient conn, List<Finding> findings) {
    if (findings.isEmpty()) {
      return Future.succeededFuture();
    }
    return conn.preparedQuery(FindingRows.INSERT)
        .executeBatch(findings.stream().map(FindingRows::tuple).toList())
        .mapEmpty();
  }

  @Override
  public Future<Optional<Finding>> one(String id) {
    return pool.preparedQuery(ONE)
        .execute(Tuple.of(id))
        .map(rows -> FindingRows.findings(rows).stream().findFirst());
  }

  /** A request's findings, newest first (at most {@link #LIMIT}). */
  public Future<List<Finding>> ofRequest(String requestId) {
    return pool.preparedQuery(OF_REQUEST).execute(Tuple.of(requestId)).map(FindingRows::findings);
  }

  /** A task lease's findings: those raised on calls its credentials made. */
  public Future<List<Finding>> ofLease(String leaseId) {
    return pool.preparedQuery(OF_LEASE).execute(Tuple.of(leaseId)).map(FindingRows::findings);
  }

  public Future<FindingPage> since(FindingQuery q) {
    String[] severities =
        Arrays.stream(FindingSeverity.values())
            .filter(s -> s.compareTo(q.atLeast()) >= 0)
            .map(FindingSeverity::code)
            .toArray(String[]::new);
    return pool.preparedQuery(SINCE)
        .execute(
            Tuple.tuple()
                .addOffsetDateTime(Timestamps.utc(q.since()))
                .addArrayOfString(severities)
                .addString(q.rule().map(FindingRule::id).orElse(null)))
        .map(
            rows -> {
              List<Finding> found = FindingRows.findings(rows);
              boolean more = found.size() > LIMIT;
              return new FindingPage(more ? found.subList(0, LIMIT) : found, more);
            });
  }

  /** {@code id}'s action is carried out: answers whether this call marked it (once). */
  Future<Boolean> acted(String id, Instant at) {
    return pool.preparedQuery(ACTED)
        .execute(Tuple.of(id, Timestamps.utc(at)))
        .map(rows -> rows.rowCount() == 1);
  }
}
