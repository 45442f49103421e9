package dev.stint.lease;

import dev.stint.access.AccessRequest;
import dev.stint.access.Act;
import dev.stint.access.Caller;
import dev.stint.access.Grants;
import dev.stint.access.RequestListener;
import dev.stint.access.Requests;
import dev.stint.access.RevocationPace;
import dev.stint.error.ErrorCode;
import dev.stint.error.RetryLater;
import dev.stint.error.StintException;
import dev.stint.identity.Person;
import dev.stint.ledger.Ledger;
import dev.stint.outbox.Outbox;
import dev.stint.policy.Decision;
import dev.stint.policy.LeaseRights;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Ending task leases. A lease revoked on its own ({@code POST /v1/leases/{id}/revoke}: its holder,
 * the profile's approvers or an admin, as for its grant) is, in one transaction: the lease marked
 * revoked, its revocable sessions marked revoked in the ledger, {@code lease.revoked} recorded and
 * the deny of those sessions written to the outbox ({@link #REVOKED}), which the revocation ends on
 * each role from the ledger, as it ends a grant's. The grant and its other sessions are untouched.
 * A holder's revoke of their own lease is paced as their grants' revokes are: each revoked lease
 * with a session that may be alive is named in its role's deny by itself. When a grant is revoked,
 * every lease on it ends with it ({@code lease.ended}): its sessions are the grant's in the ledger,
 * so the grant's own deny reaches them.
 */
final class LeaseEnding implements RevokesAsStint {
  /** The outbox event of a lease's revocation: its sessions to deny. */
  public static final String REVOKED = "lease.revoked";

  private final Requests requests;
  private final Grants grants;
  private final LeaseStore store;
  private final LeaseReading reading;
  private final Pool pool;
  private final Outbox<RequestListener.Change> outbox;
  private final LeaseAudit audit;
  private final Clock clock;
  private volatile Runnable afterCommit = () -> {};
  private volatile RevocationPace pace = RevocationPace.NONE;

  LeaseEnding(
      Requests requests,
      Grants grants,
      LeaseReading reading,
      Pool pool,
      Outbox<RequestListener.Change> outbox,
      LeaseAudit audit,
      Clock clock) {
    this.requests = requests;
    this.grants = grants;
    this.store = new LeaseStore(pool);
    this.reading = reading;
    this.pool = pool;
    this.outbox = outbox;
    this.audit = audit;
    this.clock = clock;
  }

  void afterCommit(Runnable poke) {
    this.afterCommit = poke;
  }

  /** Slows a holder's revokes of their own leases as {@code pace} says (the server's). */
  void pace(RevocationPace pace) {
    this.pace = pace;
  }

  /**
   * Revokes lease {@code id} for {@code caller}: the lease as revoked. In the caller's turn of
   * revokes, shared with their grants' ({@link Requests#inRevokeTurn}), and paced when the caller
   * holds the lease's grant: answered {@link RetryLater} and recorded as {@code
   * lease.revoke_paced}, never as a refusal, the lease left active. Anyone else's revoke (an
   * approver's, an admin's) is never paced.
   */
  Future<Lease> revoke(Caller caller, String id, Optional<String> comment) {
    return reading
        .visible(caller, id)
        .compose(
            seen ->
                requests.inRevokeTurn(
                    caller, () -> revoke(caller, seen.request(), seen.lease(), comment)))
        .onSuccess(revoked -> afterCommit.run())
        .recover(
            e ->
                e instanceof RetryLater
                    ? Future.failedFuture(e)
                    : audit.refused(caller, "revoke", "", Optional.of(id), e));
  }

  private Future<Lease> revoke(
      Caller caller, AccessRequest r, Lease lease, Optional<String> comment) {
    Decision may = LeaseRights.mayRevoke(requests.rights(caller, r), lease.id());
    if (!may.allowed()) {
      return Future.failedFuture(may.refusal());
    }
    return paced(caller, r, lease).compose(x -> revokeNow(caller, r, lease, comment));
  }

  /**
   * Fails with {@link RetryLater} when the caller revokes an active lease of their own grant (the
   * same issuer and subject, never a shared email) and the pace says it must wait.
   */
  private Future<Void> paced(Caller caller, AccessRequest r, Lease lease) {
    boolean own =
        lease.state() == Lease.State.ACTIVE
            && r.grant().map(g -> caller.person().is(g.holder())).orElse(false);
    if (!own) {
      return Future.succeededFuture();
    }
    return pace.ofLease(lease.id(), clock.instant())
        .compose(
            paced ->
                paced.isEmpty()
                    ? Future.<Void>succeededFuture()
                    : audit
                        .paced(caller, lease, paced.get())
                        .compose(y -> Future.failedFuture(paced.get().refusal())));
  }

  private Future<Lease> revokeNow(
      Caller caller, AccessRequest r, Lease lease, Optional<String> comment) {
    Instant now = clock.instant();
    return pool.withTransaction(
        conn ->
            LeaseStore.revoke(conn, lease.id(), caller.person(), now)
                .compose(
                    revoked -> {
                      if (revoked.isEmpty()) {
                        return Future.failedFuture(
                            new StintException(
                                ErrorCode.CONFLICT,
                                "lease "
                                    + lease.id()
                                    + " is "
                                    + lease.state().code()
                                    + " already"));
                      }
                      return Ledger.markLeaseRevoked(conn, lease.id(), now)
                          .compose(n -> audit.revoked(caller, revoked.get(), comment, n))
                          .compose(
                              x ->
                                  outbox.enqueue(
                                      conn,
                                      List.of(
                                          new RequestListener.Change(
                                              REVOKED, r, caller.person(), comment, now))))
                          .map(x -> revoked.get());
                    }));
  }

  /**
   * Revokes lease {@code id} as stint, for {@code reason} (a finding's action): exactly as a
   * person's revoke, in one transaction, the lease marked revoked, its revocable sessions marked in
   * the ledger, {@code lease.revoked} recorded (actor stint, with the reason) and the deny written
   * to the outbox, which denies its sessions on each role; its grant and the grant's other leases
   * untouched. Never paced. Empty when the lease is not active (ended, revoked, denied, gone):
   * nothing is done.
   */
  @Override
  public Future<Optional<Lease>> revokeAsStint(String id, Reason reason) {
    return store
        .find(id)
        .compose(
            found ->
                found
                        .filter(
                            l ->
                                l.state() == Lease.State.ACTIVE || l.state() == Lease.State.PENDING)
                        .isEmpty()
                    ? Future.succeededFuture(Optional.<Lease>empty())
                    : grants
                        .requestOfLease(found.get().requestId())
                        .compose(
                            r ->
                                r.isEmpty()
                                    ? Future.succeededFuture(Optional.<Lease>empty())
                                    : revokeAsStint(r.get(), id, reason)))
        .onSuccess(revoked -> revoked.ifPresent(l -> afterCommit.run()));
  }

  private Future<Optional<Lease>> revokeAsStint(AccessRequest r, String id, Reason reason) {
    Instant now = clock.instant();
    Person stint = Act.SYSTEM;
    return pool.withTransaction(
        conn ->
            LeaseStore.revoke(conn, id, stint, now)
                .compose(
                    revoked ->
                        revoked.isEmpty()
                            ? Future.succeededFuture(revoked)
                            : Ledger.markLeaseRevoked(conn, id, now)
                                .compose(n -> audit.revokedAsStint(revoked.get(), reason, n))
                                .compose(
                                    x ->
                                        outbox.enqueue(
                                            conn,
                                            List.of(
                                                new RequestListener.Change(
                                                    REVOKED,
                                                    r,
                                                    stint,
                                                    Optional.of(reason.why()),
                                                    now))))
                                .map(revoked)));
  }

  /**
   * Ends every active lease of {@code grantId}, its grant having been revoked by {@code by}: each
   * recorded as {@code lease.ended}. Repeating it ends nothing more.
   */
  Future<List<Lease>> endWithGrant(String grantId, Person by, Instant at) {
    return pool.withTransaction(
        conn ->
            LeaseStore.endWithGrant(conn, grantId, by, at)
                .compose(
                    ended -> {
                      Future<Void> chain = Future.succeededFuture();
                      for (Lease lease : ended) {
                        chain =
                            chain.compose(
                                x ->
                                    audit.ended(
                                        lease, by, "its grant " + grantId + " was revoked"));
                      }
                      return chain.map(ended);
                    }));
  }
}
