package dev.stint.lease;

import dev.stint.access.Caller;
import dev.stint.error.ErrorCode;
import dev.stint.error.StintException;
import dev.stint.identity.Person;
import dev.stint.identity.Principal;
import dev.stint.policy.LeaseRights;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Who mints on a task lease. A lease token's bearer is resolved once, by the API's authentication
 * ({@link LeaseBearers}): the token names its lease, its SHA-256 must find that lease, and the
 * bearer is then that lease, as the audit names it ({@code urn:stint:lease}, the lease id). The
 * pipeline then asks for the lease the caller names ({@link LeaseMints}): a bearer mints on its own
 * lease only, an identity only on a lease naming it as its agent ({@code
 * policy.LeaseRights#mayMintAsAgent}). Every refusal is recorded as {@code lease.refused}; one
 * before the token is matched to the lease asked names the bearer {@code unverified}, so no one can
 * write refusals in a lease's name with a token of its shape or another lease's token.
 */
final class LeaseMinting implements LeaseMints, LeaseBearers {
  /** The issuer a lease token's bearer is recorded under, beside the lease it names. */
  static final String ISSUER = "urn:stint:lease";

  /** The subject of a lease token's bearer before the token is matched to the lease asked. */
  static final String UNVERIFIED = "unverified";

  private final LeaseStore store;
  private final LeaseAudit audit;
  private final LeaseEligibility eligibility;

  LeaseMinting(LeaseStore store, LeaseAudit audit, LeaseEligibility eligibility) {
    this.store = store;
    this.audit = audit;
    this.eligibility = eligibility;
  }

  @Override
  public boolean shaped(String bearer) {
    return LeaseTokens.looksLike(bearer);
  }

  @Override
  public Principal unverified() {
    return bearer(UNVERIFIED);
  }

  @Override
  public Future<Principal> resolve(String token, Caller bearer) {
    Optional<String> named = LeaseTokens.leaseOf(token);
    Future<Lease> found =
        named.isEmpty()
            ? Future.failedFuture(notThisLeasesToken())
            : store
                .byToken(LeaseTokens.hash(token))
                .map(
                    stored ->
                        stored
                            .filter(l -> l.id().equals(named.get()))
                            .orElseThrow(LeaseMinting::notThisLeasesToken));
    return found
        .map(l -> bearer(l.id()))
        .recover(e -> audit.refused(unverified(bearer), "mint", "", named, e));
  }

  @Override
  public Future<Lease> named(Caller caller, String leaseId) {
    Optional<String> tokenOf = leaseOf(caller.principal());
    if (tokenOf.isEmpty()) {
      return asAgent(caller, leaseId);
    }
    Future<Lease> found =
        tokenOf.get().equals(leaseId)
            ? store.find(leaseId).map(l -> l.orElseThrow(LeaseMinting::notThisLeasesToken))
            : Future.failedFuture(notThisLeasesToken());
    // Refused for the lease asked, which the token does not open: as a bearer of it, unverified.
    return found.recover(
        e -> audit.refused(unverified(caller), "mint", "", Optional.of(leaseId), e));
  }

  @Override
  public Future<Optional<Lease>> again(String leaseId) {
    return store.find(leaseId);
  }

  @Override
  public Future<Void> usable(Person holder, Optional<Person> agent, String profile) {
    return eligibility.require(holder, agent, profile);
  }

  /** The lease {@code leaseId} if it names {@code agent} as the identity that mints it. */
  private Future<Lease> asAgent(Caller agent, String leaseId) {
    LeaseRights rights = new LeaseRights(agent.person());
    return store
        .find(leaseId)
        .map(
            found -> {
              rights.mayMintAsAgent(leaseId, found.flatMap(Lease::agent)).orRefuse();
              return found.orElseThrow();
            })
        .recover(e -> audit.refused(agent, "mint", "", Optional.of(leaseId), e));
  }

  /** The lease a bearer's principal stands for, when it is a lease token's bearer. */
  private static Optional<String> leaseOf(Principal p) {
    return ISSUER.equals(p.issuer()) && !UNVERIFIED.equals(p.subject())
        ? Optional.of(p.subject())
        : Optional.empty();
  }

  /** Whoever holds lease {@code leaseId}'s token, as the audit records them. */
  private static Principal bearer(String leaseId) {
    return new Principal(
        "lease",
        ISSUER,
        leaseId,
        Optional.empty(),
        List.of(),
        Map.of(),
        Instant.EPOCH,
        Optional.empty());
  }

  /** {@code caller}'s address, as a lease token's bearer not matched to the lease asked. */
  private Caller unverified(Caller caller) {
    return new Caller(unverified(), caller.clientAddress(), caller.userAgent());
  }

  private static StintException notThisLeasesToken() {
    return new StintException(
        ErrorCode.UNAUTHENTICATED, "the lease token is not valid for this lease");
  }
}
