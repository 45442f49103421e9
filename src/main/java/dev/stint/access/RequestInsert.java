package dev.stint.access;

import static dev.stint.access.RequestRows.REQUEST_COLUMNS;

import dev.stint.policy.Decision;
import dev.stint.policy.FilingRights;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import java.util.Optional;

/**
 * A new request written on the caller's transaction: refused with {@code 403} naming the review
 * when a review suspended its requester from its profile (asked in the requester's turn for the
 * profile), else its row and, when approved at creation, its grant. One request filed alone and
 * each request of a bundle are written the same way.
 */
final class RequestInsert {
  private static final String INSERT_REQUEST =
      "INSERT INTO access_requests ("
          + REQUEST_COLUMNS
          + ", stage, stage_opened_at, ci_rule, requester_email_verified) VALUES ($1, $2, $3, $4,"
          + " $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22)";

  private final EligibilityHolds holds;

  /**
   * @param holds whose eligibility a review suspended
   */
  RequestInsert(EligibilityHolds holds) {
    this.holds = holds;
  }

  /**
   * Writes {@code r}, opened under CI rule {@code ciRule} when given, by a requester whose email
   * was verified or not.
   */
  Future<Void> write(
      SqlConnection conn, AccessRequest r, Optional<String> ciRule, boolean emailVerified) {
    return notHeld(conn, r)
        .compose(
            x ->
                conn.preparedQuery(INSERT_REQUEST)
                    .execute(
                        RequestRows.insertRequest(r)
                            .addValue(ciRule.orElse(null))
                            .addValue(emailVerified)))
        .compose(x -> GrantStore.writeGrant(conn, r.grant(), r.updatedAt()));
  }

  private Future<Void> notHeld(SqlConnection conn, AccessRequest r) {
    return holds
        .held(conn, r.requester(), r.profile())
        .compose(
            hold -> {
              Decision may =
                  FilingRights.mayFile(r.profile(), hold.map(EligibilityHolds.Hold::suspension));
              return may.allowed()
                  ? Future.<Void>succeededFuture()
                  : Future.<Void>failedFuture(may.refusal());
            });
  }
}
