package dev.stint.issuance;

import dev.stint.access.Caller;
import dev.stint.access.Grant;
import dev.stint.access.Grants;
import dev.stint.common.FilledDocument;
import dev.stint.common.Ids;
import dev.stint.error.ErrorCode;
import dev.stint.error.StintException;
import dev.stint.lease.Lease;
import dev.stint.lease.LeaseMints;
import dev.stint.ledger.Ledger;
import dev.stint.policy.Decision;
import dev.stint.policy.LeaseRights;
import dev.stint.policy.Policy;
import dev.stint.policy.PolicyInForce;
import dev.stint.policy.Profile;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Minting on a task lease ({@code POST /v1/credentials {lease}}): the same steps as {@link
 * Issuance}, with the lease as the basis. First the lease the caller names, as {@link
 * LeaseMints#named} finds it: a lease token's bearer (resolved by the API's authentication) mints
 * on its own lease only, an identity on a lease that names it as its agent (refused as {@code
 * lease.refused}). Then, on one policy snapshot:
 *
 * <ol>
 *   <li>the lease's grant, read afresh, and its profile, which must still allow leases;
 *   <li>the lease live (active, before its end), its grant active ({@link LeaseRights#mayMint}),
 *       the caller's address within the profile's networks;
 *   <li>neither the grant's holder nor the lease's agent suspended from the profile by an access
 *       review, read afresh ({@link LeaseMints#usable}; a read that fails refuses);
 *   <li>the mint, with the lease's narrowing (the template must still fill the document approved or
 *       created), the grant holder's identity and the lease's end;
 *   <li>the record and the ledger row (naming the lease), committed;
 *   <li>the grant and the lease read again: a revocation of either meanwhile withholds it.
 * </ol>
 *
 * <p>Every refusal is {@code credential.denied} with the lease named.
 */
public final class LeaseIssuance {
  private final Issuance issuance;
  private final Grants grants;
  private final PolicyInForce policies;
  private final LeaseMints leases;
  private final Issuance.Records records;
  private final Ids ids = new Ids();

  public LeaseIssuance(
      Issuance issuance,
      Grants grants,
      PolicyInForce policies,
      LeaseMints leases,
      Issuance.Records records) {
    this.issuance = issuance;
    this.grants = grants;
    this.policies = policies;
    this.leases = leases;
    this.records = records;
  }

  /**
   * One ask on a lease: who asked (a lease token's bearer, as resolved, or an identity), which
   * lease, and for how long ({@code requested}).
   */
  public record LeaseAsk(Caller caller, String leaseId, Optional<Duration> requested) {}

  public Future<Issued> issue(LeaseAsk ask) {
    return leases.named(ask.caller(), ask.leaseId()).compose(lease -> issue(ask, lease));
  }

  private Future<Issued> issue(LeaseAsk ask, Lease lease) {
    IssuanceEvent event = new IssuanceEvent(records.audit(), ask.caller(), lease.profile());
    return grants
        .grantOfLease(lease.requestId())
        .compose(found -> steps(ask, lease, found, event))
        .recover(event::denied);
  }

  private Future<Issued> steps(
      LeaseAsk ask, Lease lease, Optional<Grant> found, IssuanceEvent event) {
    Instant now = records.clock().instant();
    Policy policy = policies.current();
    Optional<Grant> leased = found.filter(g -> g.id().equals(lease.grantId()));
    Optional<Profile> inForce = leased.flatMap(g -> policy.profile(g.profile()));
    LeaseRights.mayMint(
            new LeaseRights.AtMint(
                lease.id(),
                lease.stateAt(now),
                lease.liveAt(now),
                leased.map(g -> new LeaseRights.LeasedGrant(g.id(), g.profile(), g.activeAt(now)))),
            inForce)
        .orRefuse();
    Grant grant = leased.orElseThrow();
    Profile profile = inForce.orElseThrow();
    Issuance.requireWithinNetworks(ask.caller(), profile);
    Issuance.requireMinted(profile);
    lease
        .narrowing()
        .ownStatements()
        .ifPresent(own -> requireStillWithinGrant(profile, grant, lease, own.json()));
    event.target(profile.target().describe());
    Basis basis = new Basis.Leased(grant, lease, profile.maxDuration());
    event.basis(basis);
    CredentialAsk asked =
        new CredentialAsk(
            ask.caller(), profile.name(), ask.requested(), IssuanceChannel.CREDENTIALS);
    return leases
        .usable(grant.holder(), lease.agent(), profile.name())
        .compose(
            x ->
                issuance.mint(
                    asked, new ProfileEntry(profile, Optional.empty()), basis, Optional.empty()))
        .compose(credential -> event.issued(credential, ids))
        .compose(recorded -> issuance.unlessRevoked(basis, recorded, event))
        .compose(recorded -> unlessLeaseEnded(lease, recorded, event))
        .map(
            recorded ->
                new Issued(
                    recorded.credential(),
                    recorded.credentialId(),
                    Optional.of(grant.id()),
                    Optional.empty()));
  }

  /**
   * A credential recorded for a lease revoked or ended meanwhile is withheld, as one whose grant
   * was; so is one whose lease cannot be read again.
   */
  private Future<IssuanceEvent.Recorded> unlessLeaseEnded(
      Lease lease, IssuanceEvent.Recorded recorded, IssuanceEvent event) {
    Ledger ledger = records.ledger();
    Clock clock = records.clock();
    return leases
        .again(lease.id())
        .map(
            again ->
                again.filter(l -> l.state() == Lease.State.ACTIVE).isPresent()
                    ? Optional.<IssuanceEvent.Withheld>empty()
                    : Optional.of(IssuanceEvent.Withheld.leaseEnded(lease.id())))
        .otherwise(e -> Optional.of(IssuanceEvent.Withheld.leaseUnread(lease.id())))
        .compose(
            withheld ->
                withheld.isEmpty()
                    ? Future.succeededFuture(recorded)
                    : event.withheld(recorded, withheld.get(), ledger, clock));
  }

  /**
   * A lease's own statements, proven inside its grant when it was made, must still be: a profile
   * narrowed since narrows its leases too (they mint nothing until made again).
   */
  private static void requireStillWithinGrant(
      Profile profile, Grant grant, Lease lease, String statements) {
    String why;
    try {
      Decision carried =
          LeaseRights.mayCarry(
              profile, grant.narrowed().policy().map(FilledDocument::json), statements);
      if (carried.allowed()) {
        return;
      }
      why = carried.reason();
    } catch (IllegalArgumentException e) {
      why = "the lease's session_policy: " + e.getMessage();
    }
    throw new StintException(
        ErrorCode.CONFLICT,
        "profile '"
            + profile.name()
            + "' changed since lease "
            + lease.id()
            + " was made: "
            + why
            + "; make the lease again");
  }
}
