package dev.stint.revocation;

import dev.stint.access.Grant;
import dev.stint.access.RequestListener.Change;
import dev.stint.lease.Lease;
import dev.stint.lease.LeaseStore;
import dev.stint.ledger.Ledger;
import dev.stint.mint.Minters;
import dev.stint.mint.SessionRevoker;
import dev.stint.outbox.DurableListener;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Ends a revoked task lease's sessions: the lease's revoke marked them revoked in the ledger in its
 * own transaction, so each target of the grant is ended again from the ledger, through its cloud's
 * revoker in the target's turn, exactly as a grant's revocation ends it; the deny now names the
 * lease's sessions (by their source identity) beside whatever was revoked before, and nothing of
 * the grant's own. Delivered from the outbox, at least once; a repeat writes the same deny.
 * Recorded as {@code lease.revocation_applied}; a failure is retried, and raises the alarm when the
 * outbox gives up.
 */
public final class LeaseRevocationListener implements DurableListener<Change> {
  /** The outbox name of this listener's rows. */
  public static final String NAME = "lease.revocation";

  /** The outbox event of a lease's revocation, written by the lease's revoke. */
  public static final String EVENT = "lease.revoked";

  private final Ledger ledger;
  private final LeaseStore leases;
  private final Pool pool;
  private final Minters minters;
  private final TargetRevocation targets;
  private final Reporting reporting;
  private final Clock clock;

  public LeaseRevocationListener(Pool pool, Minters minters, Reporting reporting, Clock clock) {
    this.ledger = new Ledger(pool);
    this.leases = new LeaseStore(pool);
    this.pool = pool;
    this.minters = minters;
    this.targets = new TargetRevocation(pool);
    this.reporting = reporting;
    this.clock = clock;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean wants(Change change) {
    return change.event().equals(EVENT) && change.request().grant().isPresent();
  }

  @Override
  public boolean audits() {
    return true;
  }

  @Override
  public Future<Void> deliver(Change change, Delivery delivery) {
    Grant grant = change.request().grant().orElseThrow();
    Instant now = clock.instant();
    return revokedLeases(change)
        .compose(leases -> markAgain(leases, now).map(leases))
        .compose(leases -> endTargets(change, delivery, grant, leases, now));
  }

  /** The request's leases revoked on their own: this change names no one lease. */
  private Future<List<String>> revokedLeases(Change change) {
    return leases
        .ofRequest(change.request().id())
        .map(
            all ->
                all.stream().filter(l -> l.state() == Lease.State.REVOKED).map(Lease::id).toList());
  }

  /**
   * The revoke marked its lease's sessions in its transaction; a session whose row committed after
   * that, and whose issuance read the lease before the revoke committed, was handed out: marked
   * now, after the commit, as a grant's revocation marks its own again.
   */
  private Future<Void> markAgain(List<String> revoked, Instant now) {
    Future<Void> chain = Future.succeededFuture();
    for (String id : revoked) {
      chain = chain.compose(x -> Ledger.markLeaseRevoked(pool, id, now).mapEmpty());
    }
    return chain;
  }

  private Future<Void> endTargets(
      Change change, Delivery delivery, Grant grant, List<String> revoked, Instant now) {
    return ledger
        .deniable(grant.id(), now)
        .compose(
            reach -> {
              List<String> roles = new ArrayList<>();
              Future<Void> chain = Future.succeededFuture();
              for (Ledger.Reach r : reach) {
                Optional<SessionRevoker> revoker = minters.revoker(r.cloud());
                if (revoker.isPresent()) {
                  chain =
                      chain.compose(
                          x ->
                              targets
                                  .end(revoker.get(), r.target(), grant.id())
                                  .map(
                                      ended -> {
                                        roles.add(r.target());
                                        return null;
                                      }));
                }
              }
              return chain.compose(x -> applied(change, delivery, roles, revoked));
            });
  }

  @Override
  public Future<Void> failed(Change change, Delivery delivery, String why, boolean last) {
    Grant grant = change.request().grant().orElseThrow();
    if (last) {
      reporting.alarm().revocationFailed(grant.id(), change.request().id(), why);
    }
    return reporting
        .audit()
        .append(
            RevocationEvents.base("lease.revocation_failed", change, delivery)
                .outcome("error")
                .reason(
                    why
                        + (last
                            ? "; giving up, retry it (stint admin outbox) or apply the deny by hand"
                            : "; retrying"))
                .build())
        .mapEmpty();
  }

  private Future<Void> applied(
      Change change, Delivery delivery, List<String> roles, List<String> revoked) {
    return reporting
        .audit()
        .append(
            RevocationEvents.base("lease.revocation_applied", change, delivery)
                .outcome("ok")
                .reason(
                    roles.isEmpty()
                        ? "no session of the lease's grant a deny must reach: nothing written"
                        : "deny in place on " + roles.size() + " role(s)")
                .detail("roles", roles)
                .detail("lease_ids", revoked)
                .build())
        .mapEmpty();
  }
}
