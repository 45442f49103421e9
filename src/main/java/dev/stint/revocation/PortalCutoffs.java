package dev.stint.revocation;

import dev.stint.ledger.Ledger;
import dev.stint.mint.SessionRevoker.UserCutoff;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A revoked grant's sessions its cloud issued itself ({@link PortalSessions}), recorded as user
 * cutoffs on their targets (where the deny is written: one target may hold several roles'), before
 * any deny is written, so that every later write of those targets (a retry, another revocation's)
 * renders them too, across restarts; the cutoff is the revoke's time, which a repeated delivery
 * finds the same. It reaches only the sessions issued before the revoke: those the person takes
 * until the cloud has removed their access are denied when the package that removes it sees it done
 * ({@link UnassignedSessions}), which moves the same user's cutoff on.
 */
final class PortalCutoffs {
  /** The targets the grant's user cutoffs are recorded on, or why they could not be found. */
  record Found(List<Ledger.Reach> reach, Optional<Throwable> failure) {}

  private final PortalSessions portals;
  private final Cutoffs cutoffs;

  PortalCutoffs(Pool pool, PortalSessions portals) {
    this.portals = portals;
    this.cutoffs = new Cutoffs(pool);
  }

  Future<Found> record(String grantId, Instant revokedAt, Instant now) {
    return portals
        .ofGrant(grantId, revokedAt)
        .compose(
            held -> {
              Future<Void> saved = Future.succeededFuture();
              for (PortalSessions.Held h : held) {
                UserCutoff cutoff = new UserCutoff(h.role(), h.user(), revokedAt, h.until());
                saved = saved.compose(x -> cutoffs.saveUser(h.target(), cutoff, grantId, now));
              }
              List<Ledger.Reach> reach =
                  held.stream()
                      .map(h -> new Ledger.Reach(h.cloud(), h.target(), true, 0, h.until()))
                      .toList();
              return saved.map(x -> new Found(reach, Optional.<Throwable>empty()));
            })
        .recover(e -> Future.succeededFuture(new Found(List.of(), Optional.of(e))));
  }
}
