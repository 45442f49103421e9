package dev.stint.assignment;

import dev.stint.mint.Assigner;
import dev.stint.revocation.PortalSessions;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The sessions a revoked Identity Center grant's user took from the AWS access portal or with
 * {@code aws sso login}: deleting the assignment does not end them, so the revocation denies that
 * user's sessions of the permission set's provisioned role issued before the revoke, where the
 * cloud lets stint write that deny (the role's {@code denyTarget}: AWS refuses every write to the
 * role itself). What the grant's assignment was is read from what was recorded when it started,
 * never from today's policy.
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

  PortalRoles(AssignmentStore store, Assigner assigner) {
    this.store = store;
    this.assigner = assigner;
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
                              ? held(row, revokedAt)
                              : Future.succeededFuture(List.<Held>of()));
            });
  }

  private Future<List<Held>> held(AssignmentRow row, Instant revokedAt) {
    return Future.fromCompletionStage(assigner.at(row.endpoints()).role(row.at()))
        .map(
            role ->
                List.of(
                    new Held(
                        CLOUD,
                        role.denyTarget(),
                        role.arn(),
                        row.userName().get(),
                        revokedAt.plus(LONGEST_SESSION))));
  }
}
