package dev.stint.assignment;

import io.vertx.core.Future;
import java.util.Optional;

/**
 * Whether a grant may take its user's assignment now. One Identity Center user is one stint
 * person's at a time: two people (two issuers and subjects) whose verified emails name the same
 * directory user must not share an assignment, or one's grant would keep the other's access alive
 * past its revoke, and one's revoke would deny the other's sessions; so a grant whose user another
 * person's live grant holds (in any account or permission set of the instance) fails. And a
 * deletion of the same assignment that stint has begun and AWS has not finished is waited for: a
 * grant that counted the assignment as already held would lose it when the deletion lands.
 */
final class UserClaims {
  private final AssignmentStore store;

  UserClaims(AssignmentStore store) {
    this.store = store;
  }

  /**
   * Why a grant may not take its user: {@code why} for the audit, naming the grants that hold the
   * user; {@code told} for the requester and approvers, without them (another person's grant is not
   * theirs to know of).
   */
  record Refused(String why, String told) {}

  /**
   * Empty when {@code row}'s grant may hold its user's assignment now; why not, when another
   * person's grant holds that user (the grant's assignment fails); a failed future while a deletion
   * of the same assignment is under way (the outbox asks again, and the assignment is made anew
   * once it is done). The row's user must be saved before: two people's grants that check at once
   * then each see the other, and both fail rather than both hold.
   */
  Future<Optional<Refused>> check(AssignmentRow row) {
    return store
        .heldByOthers(row)
        .compose(
            others -> {
              if (!others.isEmpty()) {
                String held =
                    "the IAM Identity Center user " + row.userName().orElse("") + " is held by";
                String rule = ": one user is one stint person's at a time";
                return Future.succeededFuture(
                    Optional.of(
                        new Refused(
                            held
                                + " another person's grant ("
                                + String.join(", ", others)
                                + ")"
                                + rule,
                            held + " another person's grant" + rule)));
              }
              return store
                  .deleting(row)
                  .compose(
                      deleting ->
                          deleting.isEmpty()
                              ? Future.succeededFuture(Optional.<Refused>empty())
                              : Future.failedFuture(
                                  "stint's deletion of the same assignment (grant "
                                      + String.join(", ", deleting)
                                      + ") is not finished in AWS yet; made once it is"));
            });
  }
}
