package dev.stint.revocation;

import dev.stint.access.Grant;
import dev.stint.access.RequestListener.Change;
import dev.stint.lease.RevokedLeases;
import dev.stint.ledger.DeniableSessions;
import dev.stint.ledger.Ledger;
import dev.stint.mint.Minters;
import dev.stint.outbox.DurableListener;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * Ends a revoked task lease's sessions: the lease's revoke marked them revoked in the ledger in its
 * own transaction, so each target that holds a session of the request's revoked leases is ended
 * again from the ledger, through its cloud's revoker in the target's turn, exactly as a grant's
 * revocation ends it ({@link RevocationTargets}); the deny now names the leases' sessions (by their
 * source identity) beside whatever was revoked before, and nothing of the grant's own. A target
 * that holds none of them is not touched: a lease that minted no session a deny must reach asks
 * nothing of any cloud. Delivered from the outbox, at least once; a repeat writes the same deny.
 * Recorded as {@code lease.revocation_applied}; a widening or a person collapsed on the way is
 * recorded, alarmed and told as a grant's revocation's is, naming the leases. A failure is retried,
 * and raises the alarm when the outbox gives up.
 */
public final class LeaseRevocationListener implements DurableListener<Change> {
  /** The outbox name of this listener's rows. */
  public static final String NAME = "lease.revocation";

  /** The outbox event of a lease's revocation, written by the lease's revoke. */
  public static final String EVENT = "lease.revoked";

  private final DeniableSessions deniable;
  private final RevokedLeases leases;
  private final Pool pool;
  private final RevocationTargets targets;
  private final Reporting reporting;
  private final Clock clock;

  /** {@code leases} says which of a request's leases were revoked, read from {@code pool} too. */
  public LeaseRevocationListener(
      Pool pool, RevokedLeases leases, Minters minters, Reporting reporting, Clock clock) {
    this.deniable = new DeniableSessions(pool);
    this.leases = leases;
    this.pool = pool;
    this.targets = new RevocationTargets(pool, minters, reporting);
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
        .compose(revoked -> markAgain(revoked, now).map(revoked))
        .compose(
            revoked ->
                deniable(revoked, now)
                    .compose(
                        reach ->
                            targets.end(
                                new Revocation(change.request().id(), grant.id(), revoked), reach)))
        // The cut people and widened roles before the applied record, as a grant's revocation does:
        // a crash between the two repeats a notice on the next delivery instead of losing it.
        .compose(ended -> targets.report(ended).compose(x -> applied(change, delivery, ended)));
  }

  /** The request's leases revoked on their own: this change names no one lease. */
  private Future<List<String>> revokedLeases(Change change) {
    return leases.revokedOf(change.request().id());
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

  /** Where the revoked leases' sessions a deny must reach are, read after they were marked. */
  private Future<List<Ledger.Reach>> deniable(List<String> revoked, Instant now) {
    return revoked.isEmpty() ? Future.succeededFuture(List.of()) : deniable.ofLeases(revoked, now);
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

  private Future<Void> applied(Change change, Delivery delivery, RevocationTargets.Ended ended) {
    List<String> roles = ended.targets();
    return reporting
        .audit()
        .append(
            RevocationEvents.base("lease.revocation_applied", change, delivery)
                .outcome("ok")
                .reason(
                    roles.isEmpty()
                        ? "no session of the revoked lease a deny must reach: nothing written"
                        : "deny in place on "
                            + roles.size()
                            + " role(s)"
                            + (ended.anyWidened()
                                ? ", widened to a cutoff where it did not fit"
                                : ""))
                .detail("roles", roles)
                .detail("lease_ids", ended.revocation().leaseIds())
                .detail("widened", ended.anyWidened())
                .build())
        .mapEmpty();
  }
}
