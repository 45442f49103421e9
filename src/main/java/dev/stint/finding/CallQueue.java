package dev.stint.finding;

import dev.stint.finding.rules.Observed;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The calls kept and not judged yet ({@code finding_queue}, filled by the migrations' trigger in
 * each keep's transaction): taken oldest first by deleting them in the judging transaction, so each
 * is judged exactly once whatever stops on the way (a transaction that does not commit puts them
 * back), and a call is written once more after its keep, not locked and then deleted.
 */
final class CallQueue {
  /** The most calls one transaction judges. */
  static final int BATCH = 200;

  /**
   * One replica judges at a time, so the baselines see the calls in the order they are judged and
   * two replicas never both call one network new: the others' pokes find the turn taken and the
   * judging replica drains what they kept. The two-key advisory lock space, under a key of its own.
   */
  static final String TURN = "SELECT pg_try_advisory_xact_lock(1398031940, 1)";

  /**
   * The oldest calls, taken off the queue. Another transaction deleting one of them first (a call
   * set aside, {@link SetAside}) makes this one wait for it and then skip that call: each call is
   * taken by exactly one.
   */
  static final String CLAIM =
      "DELETE FROM finding_queue WHERE seq IN (SELECT seq FROM finding_queue ORDER BY seq"
          + " LIMIT $1) RETURNING seq, event_id, credential_id, request_id, at, source, name,"
          + " region, source_ip, error_code, named_role, with_decryption";

  static final String BACKLOG = "SELECT count(*) FROM finding_queue";

  /** A queued call: its place in the queue, the credential that made it, and the call. */
  record Entry(long seq, String credentialId, Observed call) {}

  private CallQueue() {}

  /** Whether this transaction has the judging turn. */
  static Future<Boolean> turn(SqlClient conn) {
    return conn.query(TURN).execute().map(rows -> rows.iterator().next().getBoolean(0));
  }

  /**
   * The oldest {@code limit} queued calls, in the order they were queued, off the queue once this
   * transaction commits.
   */
  static Future<List<Entry>> claim(SqlClient conn, int limit) {
    return conn.preparedQuery(CLAIM)
        .execute(Tuple.of(limit))
        .map(
            rows -> {
              List<Entry> out = new ArrayList<>();
              rows.forEach(r -> out.add(entry(r)));
              out.sort(Comparator.comparingLong(Entry::seq));
              return out;
            });
  }

  /** How many calls wait to be judged. */
  static Future<Long> backlog(SqlClient client) {
    return client.query(BACKLOG).execute().map(rows -> rows.iterator().next().getLong(0));
  }

  private static Entry entry(Row r) {
    return new Entry(
        r.getLong("seq"),
        r.getString("credential_id"),
        new Observed(
            r.getString("event_id"),
            r.getOffsetDateTime("at").toInstant(),
            r.getString("source"),
            r.getString("name"),
            r.getString("region"),
            Optional.ofNullable(r.getString("source_ip")),
            Optional.ofNullable(r.getString("error_code")),
            Optional.ofNullable(r.getString("named_role")),
            r.getBoolean("with_decryption")));
  }
}
