package dev.stint.finding;

import io.vertx.core.Future;

/**
 * How a live finding whose action is {@code end} ends what made its call, through the normal
 * revocation (the deny in IAM), as stint, naming the finding: {@code lease} ends the lease (its
 * grant and the grant's other leases untouched), {@code access} revokes the grant. {@code app}
 * implements it with {@code lease.LeaseEnding} and {@code access.Leavers}. Each is idempotent: what
 * has already ended is left as it is.
 */
public interface FindingEnds {
  /** Whether this call ended it, or it had ended already (expired, revoked, ended before). */
  enum Outcome {
    ENDED,
    ALREADY_ENDED
  }

  /** Ends task lease {@code leaseId} for {@code finding}. */
  Future<Outcome> endLease(String leaseId, Finding finding);

  /** Revokes the grant of request {@code requestId} for {@code finding}. */
  Future<Outcome> revokeGrant(String requestId, Finding finding);
}
