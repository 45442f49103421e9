package dev.stint.revocation;

import dev.stint.error.ErrorCode;
import dev.stint.ledger.Ledger;
import dev.stint.mint.MintException;
import dev.stint.mint.Minters;
import dev.stint.mint.SessionRevoker.UserCutoff;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * The deny of a deleted assignment's sessions ({@link UnassignedSessions}): the user's cutoff
 * recorded first, then its target ended as a revocation's targets are ({@link RevocationTargets}:
 * in the target's turn, rendered from every cutoff recorded on it, a widened end reported and
 * alarmed), under the grant whose assignment was deleted.
 */
public final class DeletionDenies implements UnassignedSessions {
  private final Minters minters;
  private final Cutoffs cutoffs;
  private final RevocationTargets targets;
  private final Clock clock;

  /** Writing each cloud's denies through its revoker ({@link Minters#revoker}), on {@code pool}. */
  public DeletionDenies(Pool pool, Minters minters, Reporting reporting, Clock clock) {
    this.minters = minters;
    this.cutoffs = new Cutoffs(pool);
    this.targets = new RevocationTargets(pool, minters, reporting);
    this.clock = clock;
  }

  @Override
  public Future<Void> deny(
      String requestId, String grantId, PortalSessions.Held held, Instant issuedBefore) {
    if (minters.revoker(held.cloud()).isEmpty()) {
      // Never skipped for want of configuration: the deletion waits for an operator.
      return Future.failedFuture(
          new MintException(
              ErrorCode.INTERNAL,
              "stint cannot write denies in "
                  + held.cloud()
                  + " to end the deleted assignment's sessions on "
                  + held.role(),
              false,
              null));
    }
    UserCutoff cutoff = new UserCutoff(held.role(), held.user(), issuedBefore, held.until());
    Ledger.Reach reach = new Ledger.Reach(held.cloud(), held.target(), true, 0, held.until());
    return cutoffs
        .saveUser(held.target(), cutoff, grantId, clock.instant())
        .compose(x -> targets.end(Revocation.ofGrant(requestId, grantId), List.of(reach)))
        .compose(targets::report);
  }
}
