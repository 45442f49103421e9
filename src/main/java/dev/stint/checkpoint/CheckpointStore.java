package dev.stint.checkpoint;

import dev.stint.audit.AuditReader;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Checkpoints and their deliveries in Postgres. One replica at a time decides and signs (a
 * transaction-scoped advisory lock; the others skip the round), so replicas never sign two
 * checkpoints for one head; deliveries are claimed with {@code SKIP LOCKED} and a lease.
 */
final class CheckpointStore {
  /** {@code 0x5354494E54434B50}, "STINTCKP". */
  private static final long LOCK = 6004504803961686864L;

  private static final String COLUMNS = "c.seq, c.hash, c.signed_at, c.prev_digest, c.kid, c.jws";

  private final Pool pool;

  /** The chain head as committed. */
  public record Head(long seq, String hash) {}

  /** A checkpoint one anchor still lacks, and how often delivering it failed. */
  public record Pending(Checkpoint checkpoint, String anchor, int attempts) {}

  CheckpointStore(Pool pool) {
    this.pool = pool;
  }

  /**
   * Signs the head into a new checkpoint when {@code due} says so, with one delivery per anchor, in
   * one transaction. Empty when not due or another replica holds the turn.
   */
  public Future<Optional<Checkpoint>> createIfDue(
      Function<Optional<Checkpoint>, Function<Head, Optional<Checkpoint>>> due,
      List<String> anchors,
      Instant now) {
    return pool.withTransaction(
        conn ->
            conn.query("SELECT pg_try_advisory_xact_lock(" + LOCK + ")")
                .execute()
                .compose(
                    lock ->
                        !lock.iterator().next().getBoolean(0)
                            ? Future.succeededFuture(Optional.<Checkpoint>empty())
                            : latest(conn)
                                .compose(
                                    last ->
                                        head(conn)
                                            .compose(
                                                head -> {
                                                  Optional<Checkpoint> next =
                                                      head.flatMap(h -> due.apply(last).apply(h));
                                                  return next.isEmpty()
                                                      ? Future.succeededFuture(next)
                                                      : insert(conn, next.get(), anchors, now)
                                                          .map(next);
                                                }))));
  }

  private static Future<Void> insert(
      SqlConnection conn, Checkpoint c, List<String> anchors, Instant now) {
    List<Tuple> deliveries = new ArrayList<>();
    anchors.forEach(a -> deliveries.add(Tuple.of(c.seq(), a, now.atOffset(ZoneOffset.UTC))));
    return conn.preparedQuery(
            "INSERT INTO audit_checkpoints (seq, hash, signed_at, digest,"
                + " prev_digest, kid, jws) VALUES ($1, $2, $3, $4, $5, $6, $7)")
        .execute(
            Tuple.of(
                c.seq(),
                c.hash(),
                c.time().atOffset(ZoneOffset.UTC),
                c.digest(),
                c.prevDigest().orElse(null),
                c.kid(),
                c.jws()))
        .compose(
            x ->
                deliveries.isEmpty()
                    ? Future.succeededFuture()
                    : conn.preparedQuery(
                            "INSERT INTO audit_checkpoint_deliveries (seq, anchor, next_attempt_at)"
                                + " VALUES ($1, $2, $3)")
                        .executeBatch(deliveries))
        .mapEmpty();
  }

  public Future<Optional<Checkpoint>> latest() {
    return pool.withConnection(CheckpointStore::latest);
  }

  private static Future<Optional<Checkpoint>> latest(SqlConnection conn) {
    return conn.query("SELECT " + COLUMNS + " FROM audit_checkpoints c ORDER BY seq DESC LIMIT 1")
        .execute()
        .map(
            rows ->
                rows.size() == 0
                    ? Optional.empty()
                    : Optional.of(checkpoint(rows.iterator().next())));
  }

  private static Future<Optional<Head>> head(SqlConnection conn) {
    return AuditReader.newest(conn).map(n -> n.map(e -> new Head(e.seq(), e.hash())));
  }

  /** Every stored checkpoint's JWS after {@code afterSeq}, in seq order. */
  public Future<List<String>> jwsAfter(long afterSeq) {
    return pool.preparedQuery("SELECT jws FROM audit_checkpoints WHERE seq > $1 ORDER BY seq")
        .execute(Tuple.of(afterSeq))
        .map(
            rows -> {
              List<String> out = new ArrayList<>();
              rows.forEach(r -> out.add(r.getString("jws")));
              return out;
            });
  }

  /** Claims due deliveries to the given anchors for {@code lease}; another replica skips them. */
  public Future<List<Pending>> claimDue(
      List<String> anchors, Instant now, Duration lease, int limit) {
    return pool.preparedQuery(
            "UPDATE audit_checkpoint_deliveries d SET next_attempt_at = $2"
                + " FROM audit_checkpoints c WHERE c.seq = d.seq AND (d.seq, d.anchor) IN ("
                + " SELECT seq, anchor FROM audit_checkpoint_deliveries WHERE delivered_at IS NULL"
                + " AND next_attempt_at <= $1 AND anchor = ANY($3) ORDER BY seq LIMIT $4"
                + " FOR UPDATE SKIP LOCKED) RETURNING d.anchor, d.attempts, "
                + COLUMNS)
        .execute(
            Tuple.of(
                now.atOffset(ZoneOffset.UTC),
                now.plus(lease).atOffset(ZoneOffset.UTC),
                anchors.toArray(new String[0]),
                limit))
        .map(
            rows -> {
              List<Pending> out = new ArrayList<>();
              rows.forEach(
                  r ->
                      out.add(
                          new Pending(
                              checkpoint(r), r.getString("anchor"), r.getInteger("attempts"))));
              out.sort((a, b) -> Long.compare(a.checkpoint().seq(), b.checkpoint().seq()));
              return out;
            });
  }

  public Future<Void> delivered(Pending p, Instant now) {
    return pool.preparedQuery(
            "UPDATE audit_checkpoint_deliveries SET delivered_at = $3,"
                + " attempts = attempts + 1, last_error = NULL WHERE seq = $1 AND anchor = $2")
        .execute(Tuple.of(p.checkpoint().seq(), p.anchor(), now.atOffset(ZoneOffset.UTC)))
        .mapEmpty();
  }

  public Future<Void> failed(Pending p, String error, Instant retryAt) {
    return pool.preparedQuery(
            "UPDATE audit_checkpoint_deliveries SET attempts = attempts + 1,"
                + " last_error = $3, next_attempt_at = $4 WHERE seq = $1 AND anchor = $2")
        .execute(
            Tuple.of(p.checkpoint().seq(), p.anchor(), error, retryAt.atOffset(ZoneOffset.UTC)))
        .mapEmpty();
  }

  /** How many deliveries are still owed, for the metric. */
  public Future<Long> undelivered() {
    return pool.query("SELECT count(*) FROM audit_checkpoint_deliveries WHERE delivered_at IS NULL")
        .execute()
        .map(rows -> rows.iterator().next().getLong(0));
  }

  private static Checkpoint checkpoint(Row r) {
    return new Checkpoint(
        r.getLong("seq"),
        r.getString("hash"),
        r.getOffsetDateTime("signed_at").toInstant(),
        Optional.ofNullable(r.getString("prev_digest")),
        r.getString("kid"),
        r.getString("jws"));
  }
}
