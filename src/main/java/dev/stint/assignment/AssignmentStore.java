package dev.stint.assignment;

import dev.stint.access.Grant;
import dev.stint.audit.EventRows;
import dev.stint.cloud.AccountAssignment;
import dev.stint.common.Timestamps;
import dev.stint.identity.Person;
import dev.stint.mint.Assigner.Endpoints;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.net.URI;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.stream.StreamSupport;

/**
 * The {@code identity_center_assignments} table: one row per grant of an identity_center profile.
 */
final class AssignmentStore {
  static final String COLUMNS =
      "grant_id, request_id, instance_arn, identity_store_id, account_id, permission_set_arn,"
          + " user_name, user_id, state, stint_created, request_token, reason, region,"
          + " sso_admin_endpoint, identitystore_endpoint, holder_issuer, holder_subject";
  static final String FIND =
      "SELECT " + COLUMNS + " FROM identity_center_assignments WHERE grant_id = $1";

  /**
   * The grant's end, stamped on its row in the end's own transaction (the first end's time stays):
   * from then on no revocation counts it as holding the assignment ({@link #OTHERS_LIVE}). A
   * settled row (deleted, failed) has nothing left to end: no work is queued for it.
   */
  static final String ENDING =
      "UPDATE identity_center_assignments SET ending_at = coalesce(ending_at, $2)"
          + " WHERE grant_id = $1 AND state NOT IN ('deleted', 'failed')";

  /**
   * The user name is the requester's email only when their identity provider verified it when they
   * filed the request; any other email is whatever the token said, so no user is looked up by it.
   */
  static final String RECORD =
      "INSERT INTO identity_center_assignments ("
          + COLUMNS
          + ", updated_at) VALUES ($1, $2, $3, $4, $5, $6, (SELECT CASE WHEN"
          + " requester_email_verified IS TRUE THEN $7::text END FROM access_requests WHERE id"
          + " = $2), NULL, 'creating', false, NULL, NULL, $9, $10, $11, $12, $13, $8)"
          + " ON CONFLICT (grant_id) DO NOTHING";

  /**
   * What a delivery learns and decides on the way, never over a settled row: a delivery that lost
   * its turn while another settled the row (deleted, failed) must not bring it back to life.
   */
  static final String SAVE =
      "UPDATE identity_center_assignments SET user_id = $2, state = $3, stint_created = $4,"
          + " request_token = $5, reason = $6, updated_at = $7, user_name = $8 WHERE grant_id = $1"
          + " AND state NOT IN ('deleted', 'failed')";

  /**
   * A grant that holds its user's assignment, or may yet: created, or being created and not failing
   * (a failure decided and told, its event not yet recorded, {@link #FAILING}, holds nothing and
   * never will).
   */
  static final String HOLDING =
      " AND state IN ('creating', 'created') AND (state = 'created' OR reason IS NULL)";

  /**
   * The same person's other grants that hold the same user's assignment now: another person's grant
   * never keeps it (nor is its user's, see {@link #HELD_BY_OTHERS}). An ended grant whose deletion
   * is not delivered yet still holds it, so the last of them to be delivered deletes it.
   */
  static final String OTHERS_HOLDING =
      "SELECT "
          + COLUMNS
          + " FROM identity_center_assignments WHERE instance_arn = $1 AND account_id = $2"
          + " AND permission_set_arn = $3 AND user_id = $4 AND grant_id <> $5"
          + " AND holder_issuer = $6 AND holder_subject = $7"
          + HOLDING;

  /**
   * Of {@link #OTHERS_HOLDING}, those whose grant has not ended: what keeps the person's portal
   * sessions theirs after a revoke. One ended in the same transaction (a leaver's grants) is not.
   */
  static final String OTHERS_LIVE = OTHERS_HOLDING + " AND ending_at IS NULL";

  /** Ownership passes to the same person's grants still holding an assignment stint made. */
  static final String SHARE =
      "UPDATE identity_center_assignments SET stint_created = true, updated_at = $8"
          + " WHERE instance_arn = $1 AND account_id = $2 AND permission_set_arn = $3"
          + " AND user_id = $4 AND grant_id <> $5 AND holder_issuer = $6 AND holder_subject = $7"
          + HOLDING;

  /**
   * Another person's live grants of the same directory user, in any account or permission set of
   * the instance: one user is held by one person at a time.
   */
  static final String HELD_BY_OTHERS =
      "SELECT grant_id FROM identity_center_assignments WHERE instance_arn = $1 AND user_id = $2"
          + " AND grant_id <> $3 AND NOT (holder_issuer = $4 AND holder_subject = $5)"
          + HOLDING
          + " ORDER BY grant_id";

  /** Grants whose deletion of the same assignment stint has begun and AWS has not finished. */
  static final String DELETING =
      "SELECT grant_id FROM identity_center_assignments WHERE instance_arn = $1"
          + " AND account_id = $2 AND permission_set_arn = $3 AND user_id = $4 AND grant_id <> $5"
          + " AND state = 'deleting' ORDER BY grant_id";

  /**
   * A settled row (created, deleted or failed), written by the audit log in the transaction of the
   * event that records it ({@link #SETTLED}): the two are committed together or neither is, so a
   * delivery that finds the row settled knows its event is recorded, and one whose event the audit
   * log refused leaves the row where it was, for the outbox's retry to settle it and record the
   * event once. A batch holding two events of one grant keeps the later row. It writes what a
   * delivery learns and decides; where the assignment is, the region and endpoints its calls go to
   * and whose grant it is were written by {@link #RECORD} with the approval and are never
   * rewritten, so a settled row still ends where and for whom it was made.
   */
  static final String SETTLE_ALL =
      "UPDATE identity_center_assignments AS a SET user_name = t.un, user_id = t.ui,"
          + " state = t.st, stint_created = t.sc, request_token = t.rt, reason = t.re,"
          + " updated_at = t.u FROM (SELECT DISTINCT ON (g) * FROM unnest($1::text[], $2::text[],"
          + " $3::text[], $4::text[], $5::boolean[], $6::text[], $7::text[], $8::timestamptz[])"
          + " WITH ORDINALITY AS x(g, un, ui, st, sc, rt, re, u, n) ORDER BY g, n DESC) AS t"
          + " WHERE a.grant_id = t.g";

  /** {@link #SETTLE_ALL} as the audit log writes it. */
  static final EventRows<AssignmentRow> SETTLED =
      new EventRows<>() {
        @Override
        public String insertAll() {
          return SETTLE_ALL;
        }

        @Override
        public Tuple parameters(List<EventRows.Attached<AssignmentRow>> rows) {
          return settledArrays(rows);
        }
      };

  /**
   * A failure decided and told, not yet recorded as {@code failed}: the row keeps {@code creating}
   * with the failure's reason, written in the transaction that tells the requester and approvers,
   * so a retry records the same failure without telling them again.
   */
  static final String FAILING =
      "UPDATE identity_center_assignments SET reason = $2, updated_at = $3, user_name = $4,"
          + " user_id = $5 WHERE grant_id = $1 AND state = 'creating' AND reason IS NULL";

  private final Pool pool;

  AssignmentStore(Pool pool) {
    this.pool = pool;
  }

  Future<Optional<AssignmentRow>> find(String grantId) {
    return pool.preparedQuery(FIND)
        .execute(Tuple.of(grantId))
        .map(
            rows ->
                StreamSupport.stream(rows.spliterator(), false)
                    .findFirst()
                    .map(AssignmentStore::row));
  }

  /**
   * Records, on {@code conn} in the approval's transaction, where the grant's assignment goes and
   * for whom ({@code email}, if the request says it was verified), as being made; a row already
   * there stays.
   */
  Future<Void> record(
      SqlClient conn,
      Grant grant,
      AccountAssignment at,
      Endpoints endpoints,
      String email,
      Instant now) {
    return conn.preparedQuery(RECORD)
        .execute(
            Tuple.of(
                    grant.id(),
                    grant.requestId(),
                    at.instanceArn(),
                    at.identityStoreId(),
                    at.accountId(),
                    at.permissionSetArn(),
                    email,
                    Timestamps.utc(now))
                .addValue(endpoints.region())
                .addValue(endpoints.admin().map(URI::toString).orElse(null))
                .addValue(endpoints.directory().map(URI::toString).orElse(null))
                .addValue(grant.holder().issuer())
                .addValue(grant.holder().subject()))
        .mapEmpty();
  }

  /**
   * Stamps, on {@code conn} in the end's transaction, that grant {@code grantId} ended at {@code
   * at} ({@link #ENDING}); whether it has a recorded assignment still to end.
   */
  Future<Boolean> ending(SqlClient conn, String grantId, Instant at) {
    return conn.preparedQuery(ENDING)
        .execute(Tuple.of(grantId, Timestamps.utc(at)))
        .map(rows -> rows.rowCount() > 0);
  }

  Future<AssignmentRow> save(AssignmentRow r, Instant now) {
    return pool.preparedQuery(SAVE)
        .execute(
            Tuple.of(
                    r.grantId(),
                    r.userId().orElse(null),
                    r.state().code(),
                    r.stintCreated(),
                    r.requestToken().orElse(null),
                    r.reason().orElse(null))
                .addValue(Timestamps.utc(now))
                .addValue(r.userName().orElse(null)))
        .compose(
            rows ->
                rows.rowCount() == 1
                    ? Future.succeededFuture(r)
                    : Future.failedFuture(
                        "the assignment of grant "
                            + r.grantId()
                            + " was settled meanwhile (deleted or failed): left as it is"));
  }

  /**
   * Records, on {@code conn}, that {@code r}'s assignment failed for {@code why} ({@link
   * #FAILING}); false when it was recorded already (nothing to tell again).
   */
  Future<Boolean> failing(SqlClient conn, AssignmentRow r, String why, Instant now) {
    return conn.preparedQuery(FAILING)
        .execute(
            Tuple.of(
                r.grantId(),
                why,
                Timestamps.utc(now),
                r.userName().orElse(null),
                r.userId().orElse(null)))
        .map(rows -> rows.rowCount() > 0);
  }

  /** The same person's other grants holding {@code r}'s assignment ({@link #OTHERS_HOLDING}). */
  Future<List<AssignmentRow>> othersHolding(AssignmentRow r) {
    return others(OTHERS_HOLDING, r);
  }

  /** Of those, the ones whose grant has not ended ({@link #OTHERS_LIVE}). */
  Future<List<AssignmentRow>> othersLive(AssignmentRow r) {
    return others(OTHERS_LIVE, r);
  }

  private Future<List<AssignmentRow>> others(String sql, AssignmentRow r) {
    return pool.preparedQuery(sql)
        .execute(key(r))
        .map(
            rows ->
                StreamSupport.stream(rows.spliterator(), false).map(AssignmentStore::row).toList());
  }

  Future<Void> share(AssignmentRow r, Instant now) {
    return pool.preparedQuery(SHARE).execute(key(r).addValue(Timestamps.utc(now))).mapEmpty();
  }

  /** The grants of other people that hold {@code r}'s user now. */
  Future<List<String>> heldByOthers(AssignmentRow r) {
    return grantIds(
        HELD_BY_OTHERS,
        Tuple.of(
            r.at().instanceArn(),
            r.userId().orElse(""),
            r.grantId(),
            r.holder().issuer(),
            r.holder().subject()));
  }

  /** The other grants whose deletion of {@code r}'s assignment AWS has not finished. */
  Future<List<String>> deleting(AssignmentRow r) {
    return grantIds(
        DELETING,
        Tuple.of(
            r.at().instanceArn(),
            r.at().accountId(),
            r.at().permissionSetArn(),
            r.userId().orElse(""),
            r.grantId()));
  }

  private Future<List<String>> grantIds(String sql, Tuple args) {
    return pool.preparedQuery(sql)
        .execute(args)
        .map(
            rows ->
                StreamSupport.stream(rows.spliterator(), false)
                    .map(row -> row.getString("grant_id"))
                    .toList());
  }

  private static Tuple settledArrays(List<EventRows.Attached<AssignmentRow>> rows) {
    int n = rows.size();
    String[][] text = new String[6][n];
    Boolean[] stints = new Boolean[n];
    OffsetDateTime[] at = new OffsetDateTime[n];
    for (int i = 0; i < n; i++) {
      AssignmentRow r = rows.get(i).value();
      text[0][i] = r.grantId();
      text[1][i] = r.userName().orElse(null);
      text[2][i] = r.userId().orElse(null);
      text[3][i] = r.state().code();
      text[4][i] = r.requestToken().orElse(null);
      text[5][i] = r.reason().orElse(null);
      stints[i] = r.stintCreated();
      at[i] = rows.get(i).occurredAt().atOffset(ZoneOffset.UTC);
    }
    return Tuple.tuple()
        .addArrayOfString(text[0])
        .addArrayOfString(text[1])
        .addArrayOfString(text[2])
        .addArrayOfString(text[3])
        .addArrayOfBoolean(stints)
        .addArrayOfString(text[4])
        .addArrayOfString(text[5])
        .addArrayOfOffsetDateTime(at);
  }

  private static Tuple key(AssignmentRow r) {
    return Tuple.of(
            r.at().instanceArn(),
            r.at().accountId(),
            r.at().permissionSetArn(),
            r.userId().orElse(""),
            r.grantId(),
            r.holder().issuer())
        .addValue(r.holder().subject());
  }

  private static AssignmentRow row(Row row) {
    return new AssignmentRow(
        row.getString("grant_id"),
        row.getString("request_id"),
        new AccountAssignment(
            row.getString("instance_arn"),
            row.getString("identity_store_id"),
            row.getString("account_id"),
            row.getString("permission_set_arn")),
        Optional.ofNullable(row.getString("user_name")),
        Optional.ofNullable(row.getString("user_id")),
        AssignmentState.of(row.getString("state")),
        row.getBoolean("stint_created"),
        Optional.ofNullable(row.getString("request_token")),
        Optional.ofNullable(row.getString("reason")),
        new Endpoints(
            row.getString("region"),
            Optional.ofNullable(row.getString("sso_admin_endpoint")).map(URI::create),
            Optional.ofNullable(row.getString("identitystore_endpoint")).map(URI::create)),
        new Person(
            row.getString("holder_issuer"), row.getString("holder_subject"), Optional.empty()));
  }
}
