package dev.stint.revocation;

import dev.stint.access.Grant;
import dev.stint.access.RevocationPace;
import dev.stint.ledger.DeniableSessions;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Paces a person's revocations of their own grants, and of task leases of their own grants, from
 * the credentials ledger: on each role the grant (or the lease) has a session a deny must reach,
 * the person's other revoked entries still taking room there (a revoked grant's sessions, or a
 * revoked lease's, whose sessions or those chained from them may be alive: each is named in the
 * role's deny by itself) may number at most {@code perRole}. Past that the revoke waits until the
 * first of them frees its room: one person cannot fill a role shared with others, whatever the
 * role's capacity (about 1,200 by default, docs/clouds.md), nor churn its policies by revoking
 * lease after lease, so their own revocations never widen a deny to other people's sessions. A
 * grant or lease with no such session takes no room and is never paced.
 */
public final class OwnRevocations implements RevocationPace {
  private final DeniableSessions ledger;
  private final int perRole;

  /**
   * @param perRole how many of one person's revoked grants and leases may take room on one role at
   *     once ({@code access.own_revocations_per_role})
   */
  public OwnRevocations(Pool pool, int perRole) {
    this.ledger = new DeniableSessions(pool);
    this.perRole = perRole;
  }

  @Override
  public Future<Optional<Paced>> of(Grant grant, Instant now) {
    return ledger
        .holdersRoom(grant.id(), now)
        .map(
            room ->
                room.flatMap(
                    r ->
                        paced(
                            r,
                            now,
                            "Your grant stands until then; its credentials keep working until they"
                                + " expire")));
  }

  @Override
  public Future<Optional<Paced>> ofLease(String leaseId, Instant now) {
    return ledger
        .leaseHoldersRoom(leaseId, now)
        .map(
            room ->
                room.flatMap(
                    r ->
                        paced(
                            r,
                            now,
                            "Your lease stands until then: its token still mints, and its"
                                + " credentials keep working until they expire. An approver of"
                                + " its profile or an admin can revoke it at once")));
  }

  private Optional<Paced> paced(DeniableSessions.Room room, Instant now, String meanwhile) {
    long theirs = room.entries();
    if (theirs < perRole) {
      return Optional.empty();
    }
    Instant free = room.firstFree();
    Duration wait = Duration.between(now, free);
    return Optional.of(
        new Paced(
            wait.isNegative() ? Duration.ofSeconds(1) : wait,
            "you have "
                + theirs
                + " revoked grants or task leases whose sessions may still be alive on its role,"
                + " the most one person may at once: try again after "
                + free
                + " (Retry-After), when the first of them has ended. "
                + meanwhile));
  }
}
