package dev.stint.assignment;

import dev.stint.error.ErrorCode;
import dev.stint.mint.Assigner;
import dev.stint.mint.MintException;
import dev.stint.revocation.PortalSessions;
import dev.stint.revocation.UnassignedSessions;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The sessions an Identity Center grant's user took from the AWS access portal or with {@code aws
 * sso login}, which deleting the assignment does not end: stint denies that user's sessions of the
 * permission set's provisioned role where the cloud lets it write that deny (the role's {@code
 * denyTarget}: AWS refuses every write to the role itself). Twice: a revoke denies those issued
 * before it at once ({@link #ofGrant}, for the revocation), and stint's confirmed deletion of the
 * assignment, after a revoke or an expiry alike, denies those issued before it ({@link
 * #atDeletion}), which the person may have taken while AWS was still deleting it. What the grant's
 * assignment was is read from what was recorded when it started, its role found where its creation
 * went, never from today's policy or configuration.
 */
final class PortalRoles implements PortalSessions {
  /** The cloud whose revoker writes the deny, as the ledger names AWS. */
  static final String CLOUD = "aws";

  /**
   * The longest a permission set's session lasts: how long every deny stays. Never the permission
   * set's own duration, which is today's: one shortened since the person's sessions were issued
   * would lift the deny while they are still alive.
   */
  static final Duration LONGEST_SESSION = Duration.ofHours(12);

  private final AssignmentStore store;
  private final Assigner assigner;
  private final UnassignedSessions unassigned;

  PortalRoles(AssignmentStore store, Assigner assigner, UnassignedSessions unassigned) {
    this.store = store;
    this.assigner = assigner;
    this.unassigned = unassigned;
  }

  @Override
  public Future<List<Held>> ofGrant(String grantId, Instant revokedAt) {
    return store
        .find(grantId)
        .compose(
            found -> {
              // No assignment of stint's, so none of its sessions are the grant's to end: a grant
              // that was never an assignment, one that failed (nothing assigned), one with no user,
              // or an assignment someone else made outside stint, which the person keeps.
              if (found.isEmpty()
                  || !found.get().stintCreated()
                  || found.get().state() == AssignmentState.FAILED
                  || found.get().userName().isEmpty()
                  || found.get().userId().isEmpty()) {
                return Future.succeededFuture(List.of());
              }
              AssignmentRow row = found.get();
              // Another live grant of the same user holds the same assignment: the person keeps
              // their access legitimately, and their portal sessions are that grant's too. One
              // that has ended (a leaver's grants, ended together) is not live, whether or not its
              // deletion has been delivered yet.
              return store
                  .othersLive(row)
                  .compose(
                      others ->
                          others.isEmpty()
                              ? role(row).compose(role -> heldOn(row, role, revokedAt))
                              : Future.succeededFuture(List.<Held>of()));
            });
  }

  /**
   * The sessions to deny on {@code role}; when the account does not list the role, none only once
   * the user's assignment is gone too: while AWS still lists the assignment, a role not listed is
   * IAM not caught up yet (just provisioned), and the revocation asks again rather than deny
   * nothing.
   */
  private Future<List<Held>> heldOn(
      AssignmentRow row, Optional<Assigner.Role> role, Instant revokedAt) {
    if (role.isPresent()) {
      return Future.succeededFuture(List.of(held(row, role.get(), revokedAt)));
    }
    return Future.fromCompletionStage(
            assigner.at(row.endpoints()).assigned(row.at(), row.userId().orElseThrow()))
        .compose(
            assigned ->
                assigned
                    ? Future.failedFuture(
                        new MintException(
                            ErrorCode.UPSTREAM_UNAVAILABLE,
                            "AWS IAM does not list the permission set's role in account "
                                + row.at().accountId()
                                + " yet, while the assignment is listed: asked again",
                            true,
                            null))
                    : Future.succeededFuture(List.<Held>of()));
  }

  /**
   * Denies, once stint has seen AWS delete {@code row}'s assignment (stint's, held by no other live
   * grant), its user's sessions of the role issued before {@code issuedBefore}, written before this
   * answers; answers whether a deny was written: none when the account no longer holds the role
   * (Identity Center removes it with the permission set's last assignment there, and its sessions
   * end with it). Fails, for the deletion to be asked again, when the deny is not written.
   */
  Future<Boolean> atDeletion(String requestId, AssignmentRow row, Instant issuedBefore) {
    if (row.userName().isEmpty()) {
      return Future.failedFuture("the assignment's user name was not recorded: nothing to deny");
    }
    return role(row)
        .compose(
            role ->
                role.isEmpty()
                    ? Future.succeededFuture(false)
                    : unassigned
                        .deny(
                            requestId,
                            row.grantId(),
                            held(row, role.get(), issuedBefore),
                            issuedBefore)
                        .map(true));
  }

  /** Grant {@code grantId}'s provisioned role, where its assignment was made. */
  Future<String> roleArn(String grantId) {
    return store
        .find(grantId)
        .compose(
            found ->
                found.isEmpty()
                    ? Future.failedFuture("grant " + grantId + " has no account assignment")
                    : Future.fromCompletionStage(
                            assigner.at(found.get().endpoints()).role(found.get().at()))
                        .map(Assigner.Role::arn));
  }

  /**
   * The permission set's provisioned role where the row's assignment was made; none when the
   * account no longer holds it (Identity Center removes it with the permission set's last
   * assignment there, and its sessions end with it), so there is nothing to deny.
   */
  private Future<Optional<Assigner.Role>> role(AssignmentRow row) {
    return Future.fromCompletionStage(assigner.at(row.endpoints()).role(row.at()))
        .map(Optional::of)
        .recover(
            e ->
                e instanceof MintException m && m.code() == ErrorCode.NOT_FOUND
                    ? Future.succeededFuture(Optional.<Assigner.Role>empty())
                    : Future.failedFuture(e));
  }

  private static Held held(AssignmentRow row, Assigner.Role role, Instant cutoff) {
    return new Held(
        CLOUD, role.denyTarget(), role.arn(), row.userName().get(), cutoff.plus(LONGEST_SESSION));
  }
}
