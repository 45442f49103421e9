package dev.stint.lease;

import dev.stint.access.AccessRequest;
import dev.stint.access.Caller;
import dev.stint.access.Requests;
import dev.stint.error.StintException;
import dev.stint.ledger.Ledger;
import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;

/**
 * Reading task leases, for whoever may see their request (the holder, the profile's approvers,
 * auditors and admins: {@link Requests#get}; reading a lease is seeing its request), with the
 * credentials each was handed from the ledger. A refused read is recorded as {@code lease.refused}.
 */
final class LeaseReading implements LeaseViews {
  private final Requests requests;
  private final LeaseStore store;
  private final Ledger ledger;
  private final LeaseAudit audit;

  LeaseReading(Requests requests, LeaseStore store, Ledger ledger, LeaseAudit audit) {
    this.requests = requests;
    this.store = store;
    this.ledger = ledger;
    this.audit = audit;
  }

  /** A lease with its request as the caller may see it. */
  record Seen(Lease lease, AccessRequest request) {}

  /** Lease {@code id}, if the caller may see its request; otherwise {@code not_found}. */
  @Override
  public Future<LeaseShown> get(Caller caller, String id) {
    return visible(caller, id)
        .compose(
            seen ->
                ledger
                    .ofLease(seen.lease().id())
                    .map(c -> new LeaseShown(seen.lease(), seen.request(), c)))
        .recover(e -> audit.refused(caller, "read", "", Optional.of(id), e));
  }

  /** The leases of request {@code requestId}, oldest first, if the caller may see it. */
  @Override
  public Future<List<Lease>> ofRequest(Caller caller, String requestId) {
    return requests
        .get(caller, requestId)
        .compose(r -> store.ofRequest(r.id()))
        .recover(e -> audit.refused(caller, "read", requestId, Optional.empty(), e));
  }

  /**
   * The lease with its request, if the caller may see the request; unknown and unseen answer alike.
   */
  Future<Seen> visible(Caller caller, String id) {
    return store
        .find(id)
        .compose(
            found ->
                found
                    .map(l -> requests.get(caller, l.requestId()).map(r -> new Seen(l, r)))
                    .orElseGet(() -> Future.failedFuture(unknown(id))));
  }

  private static StintException unknown(String id) {
    return StintException.notFound("no lease " + id);
  }
}
