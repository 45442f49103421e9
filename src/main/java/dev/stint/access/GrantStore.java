package dev.stint.access;

import static dev.stint.access.RequestRows.GRANT_COLUMNS;

import dev.stint.access.Transition.Changed;
import dev.stint.common.ParameterValues;
import dev.stint.common.Timestamps;
import dev.stint.identity.Person;
import dev.stint.ledger.Ledger;
import dev.stint.outbox.Outbox;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.StreamSupport;

/**
 * Grants in Postgres: written with their request's change (in its transaction), read on every
 * issuance (over the pipelined connections), and claimed by the sweeps that remind holders and
 * check {@code end_when}, one replica per row.
 */
final class GrantStore {
  private static final String UPSERT_GRANT =
      "INSERT INTO grants ("
          + GRANT_COLUMNS
          + ", created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15,"
          + " $16, $17, $18, $19) ON CONFLICT (id) DO UPDATE SET revoked_at = EXCLUDED.revoked_at,"
          + " revoked_by = EXCLUDED.revoked_by, revoked_by_issuer = EXCLUDED.revoked_by_issuer,"
          + " revoked_by_email = EXCLUDED.revoked_by_email, reviewed_at = EXCLUDED.reviewed_at,"
          + " reviewed_by = EXCLUDED.reviewed_by, reviewed_by_issuer = EXCLUDED.reviewed_by_issuer,"
          + " reviewed_by_email = EXCLUDED.reviewed_by_email";

  /**
   * {@link #claimEndChecks}, read through grants_end_checks (V32). The batch is written into the
   * statement, not passed: a prepared statement's generic plan takes a {@code LIMIT $n} for a tenth
   * of the table and then joins the update to a scan of every grant.
   */
  static final String CLAIM_END_CHECKS =
      "UPDATE grants SET end_checked_at = $2 WHERE id IN (SELECT id FROM grants"
          + " WHERE revoked_at IS NULL AND ends_at > $2 AND profile = ANY($1)"
          + " AND (end_checked_at IS NULL OR end_checked_at <= $3)"
          + " ORDER BY end_checked_at NULLS FIRST LIMIT "
          + EndWhenSweep.BATCH
          + " FOR UPDATE SKIP LOCKED) RETURNING request_id";

  private final Pool pool;
  private final SqlClient reads;
  private final Outbox<RequestListener.Change> outbox;

  GrantStore(Pool pool, SqlClient reads, Outbox<RequestListener.Change> outbox) {
    this.pool = pool;
    this.reads = reads;
    this.outbox = outbox;
  }

  /**
   * The holder's grant for a profile, narrowed to exactly {@code values}, that is usable at {@code
   * now} and lasts longest: with overlapping grants, minting uses that one, and ending one leaves
   * the others alone. One row, not all of them: this runs on every issuance, and a person can hold
   * many grants at once.
   */
  public Future<Optional<Grant>> longestActiveGrant(
      Person holder, String profile, Instant now, Optional<String> ciRule, ParameterValues values) {
    Tuple args =
        Tuple.from(RequestQueries.longestActiveGrantArgs(holder, profile, now, ciRule, values));
    return reads
        .preparedQuery(RequestQueries.LONGEST_ACTIVE_GRANT)
        .execute(args)
        .map(
            rows ->
                rows.size() == 0
                    ? Optional.<Grant>empty()
                    : Optional.of(RequestRows.grant(rows.iterator().next(), holder)));
  }

  /**
   * The grant of request {@code requestId}, if it has one, in whatever state: one statement over
   * the pipelined connections, as each issuance on a lease reads it. A request's other parts
   * (votes, stages) are not read.
   */
  public Future<Optional<Grant>> ofRequest(String requestId) {
    return reads
        .preparedQuery(RequestQueries.GRANT_OF_REQUEST)
        .execute(Tuple.of(requestId))
        .map(
            rows ->
                rows.size() == 0
                    ? Optional.<Grant>empty()
                    : Optional.of(grantWithRequester(rows.iterator().next())));
  }

  private static Grant grantWithRequester(Row row) {
    return RequestRows.grant(row, RequestRows.requester(row));
  }

  /**
   * Whether a grant is revoked (or unknown), read afresh after each mint: one row by primary key,
   * over the pipelined connections like the grant lookup before it.
   */
  public Future<Boolean> grantRevoked(String grantId) {
    return reads
        .preparedQuery("SELECT revoked_at IS NOT NULL AS revoked FROM grants WHERE id = $1")
        .execute(Tuple.of(grantId))
        .map(rows -> rows.size() == 0 || rows.iterator().next().getBoolean("revoked"));
  }

  /** The credentials ledger, on the same pool: what was issued on the grants stored here. */
  public Ledger ledger() {
    return new Ledger(pool);
  }

  /**
   * Takes up to {@link EndWhenSweep#BATCH} live grants of {@code profiles} not checked since {@code
   * before}, for this replica alone ({@code SKIP LOCKED}), marking them checked at {@code now}:
   * their requests' ids, the oldest checked first. A replica that stops mid-way leaves them to the
   * next round.
   */
  Future<List<String>> claimEndChecks(List<String> profiles, Instant now, Instant before) {
    return pool.preparedQuery(CLAIM_END_CHECKS)
        .execute(
            Tuple.of(profiles.toArray(new String[0]), Timestamps.utc(now), Timestamps.utc(before)))
        .map(
            rows ->
                StreamSupport.stream(rows.spliterator(), false).map(r -> r.getString(0)).toList());
  }

  /**
   * Marks the next active grant ending within {@code before} whose holder has not been reminded of
   * its current end, and runs {@code beforeCommit} (the audit append) in the same transaction: the
   * reminder is recorded once, by one replica.
   */
  public Future<Optional<AccessRequest>> remindNext(
      Instant now,
      Duration before,
      Function<AccessRequest, Future<?>> beforeCommit,
      Function<AccessRequest, List<RequestListener.Change>> effects) {
    String sql = RequestQueries.NEXT_REMINDER;
    Tuple args = Tuple.of(Timestamps.utc(now), Timestamps.utc(now.plus(before)));
    return pool.withTransaction(
        conn ->
            conn.preparedQuery(sql)
                .execute(args)
                .compose(rows -> RequestLoader.load(conn, rows))
                .compose(
                    found -> {
                      if (found.isEmpty()) {
                        return Future.succeededFuture(Optional.<AccessRequest>empty());
                      }
                      AccessRequest r = found.get(0);
                      return conn.preparedQuery(
                              "UPDATE grants SET reminded_at = $2 WHERE request_id = $1")
                          .execute(Tuple.of(r.id(), Timestamps.utc(now)))
                          .compose(x -> beforeCommit.apply(r))
                          .compose(x -> outbox.enqueue(conn, effects.apply(r)))
                          .map(x -> Optional.of(r));
                    }));
  }

  /**
   * A revoke marks the grant's revocable sessions revoked in its own transaction, so that any
   * role's deny written from then on names them, whichever revocation writes it; the revocation
   * itself marks those whose rows commit later.
   */
  static Future<?> revokedSessions(SqlConnection conn, Changed changed) {
    return changed.eventType().equals("grant.revoked")
        ? Ledger.markRevoked(
            conn, changed.request().grant().orElseThrow().id(), changed.request().updatedAt())
        : Future.succeededFuture();
  }

  static Future<Void> writeGrant(SqlClient conn, Optional<Grant> grant, Instant now) {
    return grant.isEmpty()
        ? Future.succeededFuture()
        : conn.preparedQuery(UPSERT_GRANT)
            .execute(RequestRows.upsertGrant(grant.get(), now))
            .mapEmpty();
  }

  /**
   * Records a note on the request of grant {@code grantId} without changing it: {@code
   * beforeCommit} (its audit event) and the {@code effects} written to the outbox commit together.
   * Answers empty when no request holds that grant.
   */
  public Future<Optional<AccessRequest>> noteOnGrant(
      String grantId,
      Function<AccessRequest, Future<?>> beforeCommit,
      Function<AccessRequest, List<RequestListener.Change>> effects) {
    return pool.withTransaction(
        conn ->
            conn.preparedQuery(RequestQueries.FIND_BY_GRANT)
                .execute(Tuple.of(grantId))
                .compose(rows -> RequestLoader.load(conn, rows))
                .compose(
                    found ->
                        found.isEmpty()
                            ? Future.succeededFuture(Optional.<AccessRequest>empty())
                            : beforeCommit
                                .apply(found.get(0))
                                .compose(x -> outbox.enqueue(conn, effects.apply(found.get(0))))
                                .map(x -> Optional.of(found.get(0)))));
  }
}
