package dev.stint.finding;

import dev.stint.finding.rules.Observed;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The calls kept and not judged yet ({@code finding_queue}, filled by the migrations' trigger in
 * each keep's transaction): taken in the judging transaction, oldest first, and deleted in it, so
 * each is judged exactly once whatever stops on the way.
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

  static final String CLAIM =
      "SELECT seq, event_id, credential_id, request_id, at, source, name, region, source_ip,"
          + " error_code, named_role, with_decryption FROM finding_queue ORDER BY seq LIMIT $1"
          + " FOR UPDATE SKIP LOCKED";

  static final String DONE = "DELETE FROM finding_queue WHERE seq = ANY($1)";

  static final String BACKLOG = "SELECT count(*) FROM finding_queue";

  /** A queued call: its place in the queue, the credential that made it, and the call. */
  record Entry(long seq, String credentialId, Observed call) {}

  private CallQueue() {}

  /** Whether this transaction has the judging turn. */
  static Future<Boolean> turn(SqlClient conn) {
    return conn.query(TURN).execute().map(rows -> rows.iterator().next().getBoolean(0));
  }

  /** The oldest {@code limit} queued calls no other transaction holds, locked. */
  static Future<List<Entry>> claim(SqlClient conn, int limit) {
    return conn.preparedQuery(CLAIM)
        .execute(Tuple.of(limit))
        .map(
            rows -> {
              List<Entry> out = new ArrayList<>();
              rows.forEach(r -> out.add(entry(r)));
              return out;
            });
  }

  static Future<Void> done(SqlClient conn, List<Entry> entries) {
    Long[] seqs = entries.stream().map(Entry::seq).toArray(Long[]::new);
    return conn.preparedQuery(DONE).execute(Tuple.tuple().addArrayOfLong(seqs)).mapEmpty();
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
