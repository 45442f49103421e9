package dev.stint.lease;

import io.vertx.core.Future;
import java.util.Optional;

/**
 * Revoking a lease as stint, for what stint found (a finding's action) or for its enrolled agent
 * (the agent ending it, or revoked), never paced.
 */
public interface RevokesAsStint {
  /**
   * Why stint ends a lease on its own, and who said so: {@code by} ({@code finding}) and the record
   * that says it, named in the event as {@code referenceKey}'s value ({@code finding_id}).
   */
  record Reason(String why, String by, String referenceKey, String reference) {}

  /**
   * Revokes lease {@code id} for {@code reason}, exactly as a person's revoke: in one transaction,
   * the lease marked revoked, its revocable sessions marked in the ledger, {@code lease.revoked}
   * recorded (actor stint, with the reason) and the deny written to the outbox; its grant and the
   * grant's other leases untouched. Empty when the lease is neither active nor pending: nothing is
   * done.
   */
  Future<Optional<Lease>> revokeAsStint(String id, Reason reason);
}
