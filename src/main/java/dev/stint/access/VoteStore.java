package dev.stint.access;

import static dev.stint.access.RequestRows.VOTE_COLUMNS;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

/**
 * Votes in Postgres, each with the stage it was cast in: written in their request's transaction,
 * under its row lock, so the approvals table holds exactly the votes that count.
 */
final class VoteStore {
  private static final String INSERT_VOTE =
      "INSERT INTO approvals (" + VOTE_COLUMNS + ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
  private static final String DELETE_VOTE =
      "DELETE FROM approvals WHERE request_id = $1 AND approver_issuer = $2"
          + " AND approver_subject = $3";

  private VoteStore() {}

  /** Records {@code vote}, cast on request {@code requestId}. */
  static Future<Void> insert(SqlConnection conn, String requestId, Vote vote) {
    return conn.preparedQuery(INSERT_VOTE)
        .execute(RequestRows.insertVote(requestId, vote))
        .mapEmpty();
  }

  /**
   * A vote the change took away (a leaver's, {@link RequestMachine#withdrawVote}) is deleted: the
   * approvals table holds the votes that count, so no reader can count a withdrawn one; the audit
   * chain keeps both the vote and its withdrawal.
   */
  static Future<Void> deleteWithdrawn(
      SqlConnection conn, AccessRequest before, AccessRequest next) {
    Future<Void> chain = Future.succeededFuture();
    for (Vote v : before.votes()) {
      if (next.votes().stream().noneMatch(n -> n.approver().is(v.approver()))) {
        Tuple key = Tuple.of(next.id(), v.approver().issuer(), v.approver().subject());
        chain = chain.compose(x -> conn.preparedQuery(DELETE_VOTE).execute(key).mapEmpty());
      }
    }
    return chain;
  }
}
