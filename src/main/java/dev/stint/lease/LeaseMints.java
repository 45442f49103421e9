package dev.stint.lease;

import dev.stint.access.Caller;
import dev.stint.identity.Person;
import io.vertx.core.Future;
import java.util.Optional;

/** What the issuance pipeline asks of task leases when it mints on one. */
public interface LeaseMints {
  /**
   * Lease {@code leaseId} as {@code caller} names it to mint on: the lease whose token they bear
   * ({@code unauthenticated} for another lease's), or one that names them as its agent ({@code
   * forbidden} otherwise); each refusal recorded as {@code lease.refused}. Whether it may still
   * mint is the pipeline's to judge ({@code policy.LeaseRights#mayMint}).
   */
  Future<Lease> named(Caller caller, String leaseId);

  /** Lease {@code leaseId} read again, as it is now: a revoke committed meanwhile withholds. */
  Future<Optional<Lease>> again(String leaseId);

  /**
   * Succeeds only if neither {@code holder} nor {@code agent} is suspended from {@code profile} by
   * an access review, each read afresh; a read that fails refuses, as unavailable.
   */
  Future<Void> usable(Person holder, Optional<Person> agent, String profile);
}
