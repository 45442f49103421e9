package dev.stint.lease;

import dev.stint.access.AccessRequest;
import dev.stint.access.Caller;
import dev.stint.access.Requests;
import dev.stint.error.ErrorCode;
import dev.stint.error.StintException;
import dev.stint.identity.Principal;
import dev.stint.ledger.Ledger;
import dev.stint.ledger.LedgerCredential;
import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;

/**
 * Reading task leases, for whoever may see their request (the holder, the profile's approvers,
 * auditors and admins: {@link Requests#get}), with the credentials each was handed from the ledger;
 * and finding the lease a minting agent names: by its token's hash, or as the agent identity it
 * names. A refused read is recorded as {@code lease.refused}.
 */
public final class LeaseReading {
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

  /** A lease with its request and the credentials minted on it, oldest first. */
  public record Shown(Lease lease, AccessRequest request, List<LedgerCredential> credentials) {}

  /** Lease {@code id}, if the caller may see its request; otherwise {@code not_found}. */
  public Future<Shown> get(Caller caller, String id) {
    return visible(caller, id)
        .compose(
            seen ->
                ledger
                    .ofLease(seen.lease().id())
                    .map(c -> new Shown(seen.lease(), seen.request(), c)))
        .recover(e -> audit.refused(caller, "read", "", Optional.of(id), e));
  }

  /** The leases of request {@code requestId}, oldest first, if the caller may see it. */
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

  /**
   * The lease {@code leaseId} that {@code token} was issued for; {@code unauthenticated} for a
   * token of another lease, or none, recorded with {@code bearer} as the actor. Whether it may
   * still mint is the issuance's to judge (and record).
   */
  public Future<Lease> byToken(Caller bearer, String token, String leaseId) {
    Future<Lease> found =
        LeaseTokens.leaseOf(token).filter(leaseId::equals).isEmpty()
            ? Future.failedFuture(notThisLeasesToken())
            : store
                .byToken(LeaseTokens.hash(token))
                .map(
                    stored ->
                        stored
                            .filter(l -> l.id().equals(leaseId))
                            .orElseThrow(LeaseReading::notThisLeasesToken));
    return found.recover(e -> audit.refused(bearer, "mint", "", Optional.of(leaseId), e));
  }

  /**
   * The lease {@code leaseId} if it names {@code agent} as the identity that mints it; {@code
   * forbidden} otherwise, recorded.
   */
  public Future<Lease> forAgent(Caller agent, String leaseId) {
    Principal p = agent.principal();
    return store
        .find(leaseId)
        .map(
            found ->
                found
                    .filter(l -> l.agent().map(a -> a.is(p.person())).orElse(false))
                    .orElseThrow(
                        () ->
                            StintException.forbidden(
                                "lease " + leaseId + " does not name you as its agent")))
        .recover(e -> audit.refused(agent, "mint", "", Optional.of(leaseId), e));
  }

  private static StintException notThisLeasesToken() {
    return new StintException(
        ErrorCode.UNAUTHENTICATED, "the lease token is not valid for this lease");
  }

  private static StintException unknown(String id) {
    return StintException.notFound("no lease " + id);
  }
}
