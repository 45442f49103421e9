package dev.stint.lease;

import dev.stint.access.Action;
import dev.stint.access.Caller;
import io.vertx.core.Future;
import java.util.Optional;

/**
 * What people do with task leases, from the routes and the pages: make one, vote on one that waits,
 * revoke one. Each asks {@code policy.LeaseRights}; every refusal is recorded as {@code
 * lease.refused}.
 */
public interface Leasing {
  /**
   * A lease of request {@code requestId}'s grant, made by its holder as {@code asked} says; its
   * token, when it has one, is in the answer only.
   */
  Future<CreatedLease> create(Caller caller, String requestId, NewLease asked);

  /** Casts {@code action} (approve or deny) on lease {@code id}: the lease as it is after. */
  Future<Lease> decide(Caller caller, String id, Action action, Optional<String> comment);

  /**
   * Revokes lease {@code id}: the lease as revoked, its sessions' deny on its way; a holder's
   * revoke of their own lease may be answered {@code error.RetryLater} instead, paced.
   */
  Future<Lease> revoke(Caller caller, String id, Optional<String> comment);
}
