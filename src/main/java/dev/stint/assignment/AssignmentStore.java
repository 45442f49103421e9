package dev.stint.assignment;

import dev.stint.access.Grant;
import dev.stint.audit.EventRows;
import dev.stint.cloud.AccountAssignment;
import dev.stint.common.Timestamps;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
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
          + " user_name, user_id, state, stint_created, request_token, reason";
  static final String FIND =
      "SELECT " + COLUMNS + " FROM identity_center_assignments WHERE grant_id = $1";
  static final String RECORDED = "SELECT 1 FROM identity_center_assignments WHERE grant_id = $1";

  /**
   * The user name is the requester's email only when their identity provider verified it when they
   * filed the request; any other email is whatever the token said, so no user is looked up by it.
   */
  static final String RECORD =
      "INSERT INTO identity_center_assignments ("
          + COLUMNS
          + ", updated_at) VALUES ($1, $2, $3, $4, $5, $6, (SELECT CASE WHEN"
          + " requester_email_verified IS TRUE THEN $7::text END FROM access_requests WHERE id"
          + " = $2), NULL, 'creating', false, NULL, NULL, $8) ON CONFLICT (grant_id) DO NOTHING";

  static final String SAVE =
      "UPDATE identity_center_assignments SET user_id = $2, state = $3, stint_created = $4,"
          + " request_token = $5, reason = $6, updated_at = $7, user_name = $8 WHERE grant_id = $1";

  /** The other grants that hold the same user's assignment now. */
  static final String OTHERS_LIVE =
      "SELECT "
          + COLUMNS
          + " FROM identity_center_assignments WHERE instance_arn = $1 AND account_id = $2"
          + " AND permission_set_arn = $3 AND user_id = $4 AND grant_id <> $5"
          + " AND state IN ('creating', 'created')";

  /** Ownership passes to the grants still holding an assignment stint made. */
  static final String SHARE =
      "UPDATE identity_center_assignments SET stint_created = true, updated_at = $6"
          + " WHERE instance_arn = $1 AND account_id = $2 AND permission_set_arn = $3"
          + " AND user_id = $4 AND grant_id <> $5 AND state IN ('creating', 'created')";

  /**
   * A settled row (created, deleted or failed), written by the audit log in the transaction of the
   * event that records it ({@link #SETTLED}): the two are committed together or neither is, so a
   * delivery that finds the row settled knows its event is recorded, and one whose event the audit
   * log refused leaves the row where it was, for the outbox's retry to settle it and record the
   * event once. A batch holding two events of one grant keeps the later row.
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
      SqlClient conn, Grant grant, AccountAssignment at, String email, Instant now) {
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
                Timestamps.utc(now)))
        .mapEmpty();
  }

  /** Whether grant {@code grantId} has a recorded assignment, read on {@code conn}. */
  Future<Boolean> recorded(SqlClient conn, String grantId) {
    return conn.preparedQuery(RECORDED).execute(Tuple.of(grantId)).map(rows -> rows.size() > 0);
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
        .map(r);
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

  Future<List<AssignmentRow>> othersLive(AssignmentRow r) {
    return pool.preparedQuery(OTHERS_LIVE)
        .execute(key(r))
        .map(
            rows ->
                StreamSupport.stream(rows.spliterator(), false).map(AssignmentStore::row).toList());
  }

  Future<Void> share(AssignmentRow r, Instant now) {
    return pool.preparedQuery(SHARE).execute(key(r).addValue(Timestamps.utc(now))).mapEmpty();
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
        r.grantId());
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
        Optional.ofNullable(row.getString("reason")));
  }
}
