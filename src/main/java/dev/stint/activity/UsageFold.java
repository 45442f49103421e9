package dev.stint.activity;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

/**
 * The counts of the report of grants never used, brought up to date: what changes them (a
 * credential handed out or withheld, a lookup added or settled, a grant's portal access) is
 * appended to {@code grant_usage_tally} in the transaction of the change, which waits on nobody
 * (V38), and the rounds fold the tallies into each grant's {@code grant_usage} row here.
 */
final class UsageFold {
  private final Pool pool;

  UsageFold(Pool pool) {
    this.pool = pool;
  }

  /**
   * Folds the oldest tallies into their grants' usage rows (V38, {@code grant_usage_tally}): one
   * replica at a time (the others skip the round), at most {@code limit}, waiting at most a second
   * for a row a revocation still holds (the next round folds it). Answers how many were folded.
   */
  Future<Integer> fold(int limit) {
    return pool.withTransaction(
        c ->
            c.query("SET LOCAL lock_timeout = '1s'")
                .execute()
                .compose(x -> c.preparedQuery(FOLD_TURN).execute())
                .compose(
                    turn ->
                        turn.iterator().next().getBoolean(0)
                            ? c.preparedQuery(FOLD).execute(Tuple.of(limit)).map(r -> r.rowCount())
                            : Future.succeededFuture(0)));
  }

  /** One folder at a time: two would update the same usage rows in no set order. */
  static final String FOLD_TURN =
      "SELECT pg_try_advisory_xact_lock(hashtext('stint_grant_usage_fold'))";

  /** The oldest tallies of grants with a usage row, summed into it and deleted; one row a grant. */
  static final String FOLD =
      "WITH moved AS (DELETE FROM grant_usage_tally WHERE id IN (SELECT t.id FROM grant_usage_tally t"
          + " WHERE EXISTS (SELECT 1 FROM grant_usage u WHERE u.request_id = t.request_id)"
          + " ORDER BY t.id LIMIT $1 FOR UPDATE OF t SKIP LOCKED)"
          + " RETURNING request_id, credentials, looked_up, unsettled),"
          + " sums AS (SELECT request_id, sum(credentials) AS c, sum(looked_up) AS l,"
          + " sum(unsettled) AS s FROM moved GROUP BY request_id)"
          + " UPDATE grant_usage u SET credentials = u.credentials + sums.c,"
          + " looked_up = u.looked_up + sums.l, unsettled = u.unsettled + sums.s"
          + " FROM sums WHERE u.request_id = sums.request_id";
}
