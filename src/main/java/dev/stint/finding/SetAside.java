package dev.stint.finding;

import dev.stint.common.Timestamps;
import dev.stint.db.Reachability;
import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Calls the judging cannot judge, set aside so the calls after them are judged ({@code
 * finding_set_aside}). Only a call that failed alone is ever set aside, so a batch's failure never
 * takes a good call with it: at once when its error is the call's own (bad data, a value over a
 * limit, a fault in a rule), and after {@link #TRANSIENT_ATTEMPTS} tries when it is one the
 * database might get over (a lost connection, a timeout, a serialization failure), which a call
 * that always outlasts the statement timeout would otherwise repeat for ever. Tries are counted
 * here, by the one replica judging; a restart counts again from none.
 */
final class SetAside {
  /**
   * Tries alone, each failing with an error the database might get over, before it is set aside.
   */
  static final int TRANSIENT_ATTEMPTS = 10;

  /** Errors longer than this are cut: the error is for an operator to read, not a dump. */
  static final int MAX_ERROR = 1000;

  static final String MOVE =
      "WITH moved AS (DELETE FROM finding_queue WHERE seq = $1 RETURNING seq, event_id,"
          + " credential_id, request_id, at, source, name, region, source_ip, error_code,"
          + " named_role, with_decryption, queued_at) INSERT INTO finding_set_aside (seq, event_id,"
          + " credential_id, request_id, at, source, name, region, source_ip, error_code,"
          + " named_role, with_decryption, queued_at, attempts, error, set_aside_at) SELECT seq,"
          + " event_id, credential_id, request_id, at, source, name, region, source_ip,"
          + " error_code, named_role, with_decryption, queued_at, $2, $3, $4 FROM moved";

  static final String COUNT = "SELECT count(*) FROM finding_set_aside";

  /**
   * SQL states a statement may fail with and then succeed on a later try, besides those of a
   * database out of reach ({@link Reachability#unreachable}): transaction rollbacks (serialization
   * failures, deadlocks), insufficient resources, a statement cancelled by its timeout, a lock not
   * available.
   */
  private static final Set<String> TRANSIENT_CLASSES = Set.of("40", "53", "57");

  private final Pool pool;
  private final Map<Long, Integer> attempts = new HashMap<>();

  SetAside(Pool pool) {
    this.pool = pool;
  }

  /** Whether {@code failure} is one the database might get over, not the call's own. */
  static boolean transientFailure(Throwable failure) {
    if (Reachability.unreachable(failure)) {
      return true;
    }
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof PgException pg && pg.getSqlState() != null) {
        String state = pg.getSqlState();
        return state.equals("55P03") || TRANSIENT_CLASSES.contains(state.substring(0, 2));
      }
    }
    return false;
  }

  /**
   * The call at {@code seq} failed, judged alone, with {@code failure}: answers whether it is set
   * aside now (once its tries are spent, or at once for an error of its own).
   */
  Future<Boolean> failed(long seq, Throwable failure, Instant now) {
    int tried = attempts.merge(seq, 1, Integer::sum);
    if (transientFailure(failure) && tried < TRANSIENT_ATTEMPTS) {
      return Future.succeededFuture(false);
    }
    Throwable cause =
        failure instanceof Judging.Failed f && f.getCause() != null ? f.getCause() : failure;
    String error = cause.toString();
    return pool.preparedQuery(MOVE)
        .execute(
            Tuple.of(
                seq,
                tried,
                error.length() > MAX_ERROR ? error.substring(0, MAX_ERROR) + "…" : error,
                Timestamps.utc(now)))
        .map(
            rows -> {
              attempts.remove(seq);
              return rows.rowCount() == 1;
            });
  }

  /** Calls were judged: the one that failed alone has been judged or set aside since. */
  void clear() {
    attempts.clear();
  }

  /** How many calls are set aside, on every replica. */
  Future<Long> count() {
    return pool.query(COUNT).execute().map(rows -> rows.iterator().next().getLong(0));
  }
}
