package dev.stint.issuance;

import dev.stint.access.Caller;
import dev.stint.access.Grant;
import dev.stint.access.Grants;
import dev.stint.common.Ids;
import dev.stint.error.ErrorCode;
import dev.stint.error.StintException;
import dev.stint.lease.Lease;
import dev.stint.lease.LeaseEligibility;
import dev.stint.lease.LeaseRules;
import dev.stint.lease.LeaseStore;
import dev.stint.ledger.Ledger;
import dev.stint.policy.Policy;
import dev.stint.policy.PolicyStore;
import dev.stint.policy.Profile;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Minting on a task lease: the same steps as {@link Issuance}, with the lease as the basis. The
 * caller (a lease token's bearer, or the agent the lease names) was matched to the lease before
 * this; here, on one policy snapshot:
 *
 * <ol>
 *   <li>the lease's grant, read afresh, and its profile, which must still allow leases;
 *   <li>the lease live (active, before its end), its grant active, the caller's address within the
 *       profile's networks;
 *   <li>neither the grant's holder nor the lease's agent suspended from the profile by an access
 *       review, read afresh ({@link LeaseEligibility}; a read that fails refuses);
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
  private final PolicyStore policies;
  private final LeaseStore leases;
  private final Issuance.Records records;
  private final LeaseEligibility eligibility;
  private final Ids ids = new Ids();

  public LeaseIssuance(
      Issuance issuance,
      Grants grants,
      PolicyStore policies,
      LeaseStore leases,
      Issuance.Records records) {
    this.issuance = issuance;
    this.grants = grants;
    this.policies = policies;
    this.leases = leases;
    this.records = records;
    this.eligibility = new LeaseEligibility(grants);
  }

  /** One ask on a lease: who asked (matched to it), and for how long ({@code requested}). */
  public record LeaseAsk(Caller caller, Lease lease, Optional<Duration> requested) {}

  public Future<Issued> issue(LeaseAsk ask) {
    Lease lease = ask.lease();
    IssuanceEvent event = new IssuanceEvent(records.audit(), ask.caller(), lease.profile());
    return grants
        .grantOfLease(lease.requestId())
        .compose(found -> steps(ask, found, event))
        .recover(event::denied);
  }

  private Future<Issued> steps(LeaseAsk ask, Optional<Grant> found, IssuanceEvent event) {
    Lease lease = ask.lease();
    Instant now = records.clock().instant();
    Policy policy = policies.current();
    Grant grant =
        found
            .filter(g -> g.id().equals(lease.grantId()))
            .orElseThrow(() -> refused("the grant of lease " + lease.id() + " is gone"));
    Profile profile =
        policy
            .profile(grant.profile())
            .orElseThrow(
                () -> refused("profile '" + grant.profile() + "' is no longer in the policy"));
    if (profile.leases().isEmpty()) {
      throw refused("profile '" + profile.name() + "' allows no leases any more");
    }
    if (!lease.liveAt(now)) {
      throw refused("lease " + lease.id() + " is " + lease.stateAt(now));
    }
    if (!grant.activeAt(now)) {
      throw refused("grant " + grant.id() + " of lease " + lease.id() + " is not active");
    }
    Issuance.requireWithinNetworks(ask.caller(), profile);
    lease
        .narrowing()
        .ownStatements()
        .ifPresent(own -> requireStillWithinGrant(profile, grant, lease, own.json()));
    event.target(profile.target().describe());
    Basis basis = new Basis.Leased(grant, lease, profile.maxDuration());
    event.basis(basis);
    Issuance.Ask asked =
        new Issuance.Ask(
            ask.caller(), profile.name(), ask.requested(), Issuance.Channel.CREDENTIALS);
    return eligibility
        .require(grant.holder(), lease.agent(), profile.name())
        .compose(
            x ->
                issuance.mint(
                    asked, new Issuance.Entry(profile, Optional.empty()), basis, Optional.empty()))
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
        .find(lease.id())
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
    try {
      LeaseRules.requireWithinGrant(profile, grant, statements);
    } catch (StintException e) {
      throw new StintException(
          ErrorCode.CONFLICT,
          "profile '"
              + profile.name()
              + "' changed since lease "
              + lease.id()
              + " was made: "
              + e.detail()
              + "; make the lease again");
    }
  }

  private static StintException refused(String detail) {
    return new StintException(ErrorCode.FORBIDDEN, detail);
  }
}
