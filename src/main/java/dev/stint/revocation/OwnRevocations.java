package dev.stint.revocation;

import dev.stint.access.Grant;
import dev.stint.access.RevocationPace;
import dev.stint.ledger.Ledger;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Paces a person's revocations of their own grants from the credentials ledger: on each role the
 * grant has a session a deny must reach, the person's other revoked grants still taking room there
 * (their sessions, or those chained from them, may be alive) may number at most {@code perRole}.
 * Past that the revoke waits until the first of them frees its room: one person cannot fill a role
 * shared with others, whatever the role's capacity (about 1,200 by default, docs/clouds.md), so
 * their own revocations never widen a deny to other people's sessions. A grant with no such session
 * takes no room and is never paced.
 */
public final class OwnRevocations implements RevocationPace {
  private final Ledger ledger;
  private final int perRole;

  /**
   * @param perRole how many of one person's revoked grants may take room on one role at once
   *     ({@code access.own_revocations_per_role})
   */
  public OwnRevocations(Pool pool, int perRole) {
    this.ledger = new Ledger(pool);
    this.perRole = perRole;
  }

  @Override
  public Future<Optional<Paced>> of(Grant grant, Instant now) {
    return ledger.holdersRoom(grant.id(), now).map(room -> room.flatMap(r -> paced(r, now)));
  }

  private Optional<Paced> paced(Ledger.Room room, Instant now) {
    long theirs = room.grants();
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
                + " revoked grants whose sessions may still be alive on this grant's role,"
                + " the most one person may at once: try again after "
                + free
                + " (Retry-After), when the first of them has ended. Your grant stands until"
                + " then; its credentials keep working until they expire"));
  }
}
