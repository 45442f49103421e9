package dev.stint.app;

import dev.stint.access.Leavers;
import dev.stint.finding.Finding;
import dev.stint.finding.FindingEnds;
import dev.stint.lease.RevokesAsStint;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;

/**
 * A live finding's {@code end}, joined here from the two normal revocations: a lease's through
 * {@link RevokesAsStint#revokeAsStint} (the lease's deny), a grant's through {@link
 * Leavers#revokeGrant} (the grant's deny, its leases ended with it), each as stint with the
 * finding's id and rule as the reason.
 */
final class FindingEndings implements FindingEnds {
  private final Pool pool;
  private final Leavers leavers;
  private final RevokesAsStint leases;

  FindingEndings(Pool pool, Leavers leavers, RevokesAsStint leases) {
    this.pool = pool;
    this.leavers = leavers;
    this.leases = leases;
  }

  @Override
  public Future<Outcome> endLease(String leaseId, Finding finding) {
    return leases
        .revokeAsStint(
            leaseId,
            new RevokesAsStint.Reason(finding.reason(), "finding", "finding_id", finding.id()))
        .map(ended -> ended.isPresent() ? Outcome.ENDED : Outcome.ALREADY_ENDED);
  }

  @Override
  public Future<Outcome> revokeGrant(String requestId, Finding finding) {
    return pool.withTransaction(
            conn ->
                leavers.revokeGrant(
                    conn, requestId, Leavers.Leaving.finding(finding.reason(), finding.id())))
        .onSuccess(leavers::committed)
        .map(ended -> ended.grantsRevoked() > 0 ? Outcome.ENDED : Outcome.ALREADY_ENDED);
  }
}
