package dev.stint.lease;

import dev.stint.access.AccessRequest;
import dev.stint.access.Caller;
import dev.stint.access.Grant;
import dev.stint.access.Grants;
import dev.stint.access.Requests;
import dev.stint.common.Ids;
import dev.stint.error.ErrorCode;
import dev.stint.error.StintException;
import dev.stint.identity.Person;
import dev.stint.policy.LeaseRights;
import dev.stint.policy.Policy;
import dev.stint.policy.PolicyInForce;
import dev.stint.policy.Profile;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Making a task lease ({@code POST /v1/requests/{id}/leases}): the request as its caller may see
 * it, never a CI job's; neither its holder nor the agent it names suspended from the profile by an
 * access review ({@link LeaseEligibility}); then, in one transaction in the grant's turn, {@link
 * LeaseRules} on the policy in force, the lease stored (its token only hashed) and {@code
 * lease.created} recorded. Every refusal is recorded as {@code lease.refused}. The token is in the
 * answer only, once.
 */
final class LeaseCreation {
  /** The longest agent subject taken; OIDC subjects are short identifiers. */
  static final int MAX_SUBJECT = 255;

  private final Requests requests;
  private final Grants grants;
  private final PolicyInForce policies;
  private final Pool pool;
  private final LeaseAudit audit;
  private final LeaseEligibility eligibility;
  private final LeaseNews news;
  private final Clock clock;
  private final Ids ids = new Ids();
  private final LeaseTokens tokens = new LeaseTokens();

  LeaseCreation(
      Requests requests,
      Grants grants,
      PolicyInForce policies,
      Pool pool,
      LeaseAudit audit,
      LeaseNews news,
      Clock clock) {
    this.requests = requests;
    this.grants = grants;
    this.policies = policies;
    this.pool = pool;
    this.audit = audit;
    this.news = news;
    this.eligibility = new LeaseEligibility(grants);
    this.clock = clock;
  }

  Future<CreatedLease> create(Caller caller, String requestId, NewLease asked) {
    return requests
        .get(caller, requestId)
        .compose(r -> grants.ciRuleOf(requestId).map(ci -> leasable(r, ci)))
        .compose(grant -> insert(caller, grant, asked))
        .recover(e -> audit.refused(caller, "create", requestId, Optional.empty(), e));
  }

  /** An enrolled agent's ask ({@link LeaseAsks}): never active until a person approves it. */
  Future<Lease> ask(Caller agent, LeaseAsks.Ask ask) {
    return grants
        .grantOfLease(ask.requestId())
        .compose(
            grant ->
                grants
                    .ciRuleOf(ask.requestId())
                    .map(
                        ci -> {
                          LeaseRights.mayLeaseGrantOf(ask.requestId(), ci).orRefuse();
                          return grant.orElseThrow(
                              () ->
                                  StintException.conflict(
                                      "request " + ask.requestId() + " has no grant to lease"));
                        }))
        .compose(
            grant -> {
              Profile profile = profileOf(policies.current(), grant);
              NewLease asked = new NewLease(ask.terms(), Optional.of(agent.person()));
              return eligibility
                  .require(grant.holder(), Optional.empty(), profile.name())
                  .compose(
                      x ->
                          stored(
                              new Maker(agent, ask.owner(), Optional.of(ask)),
                              grant,
                              asked,
                              profile))
                  .map(CreatedLease::lease);
            })
        .recover(e -> audit.refused(agent, "ask", ask.requestId(), Optional.empty(), e));
  }

  /**
   * Who makes a lease: the caller recorded, the person it is made as (the holder, for an ask), and
   * the ask when an agent asked.
   */
  private record Maker(Caller caller, Person as, Optional<LeaseAsks.Ask> ask) {}

  private static Profile profileOf(Policy policy, Grant grant) {
    return policy
        .profile(grant.profile())
        .orElseThrow(
            () ->
                new StintException(
                    ErrorCode.CONFLICT,
                    "profile '" + grant.profile() + "' is no longer in the policy"));
  }

  private static Grant leasable(AccessRequest r, Optional<String> ciRule) {
    LeaseRights.mayLeaseGrantOf(r.id(), ciRule).orRefuse();
    return r.grant()
        .orElseThrow(
            () ->
                new StintException(
                    ErrorCode.CONFLICT, "request " + r.id() + " has no grant to lease"));
  }

  private Future<CreatedLease> insert(Caller caller, Grant grant, NewLease asked) {
    Policy policy = policies.current();
    Profile profile = profileOf(policy, grant);
    asked.agent().ifPresent(agent -> requireKnownAgent(policy, agent));
    // A suspension committed after this read is the mint's to refuse: each mint asks again.
    return eligibility
        .require(grant.holder(), asked.agent(), profile.name())
        .compose(
            x ->
                stored(
                    new Maker(caller, caller.person(), Optional.empty()), grant, asked, profile));
  }

  /**
   * In one transaction, in the grant's turn: the rules, the lease, its record, and for an agent's
   * ask what its messages are to tell ({@link LeaseNews}).
   */
  private Future<CreatedLease> stored(Maker maker, Grant grant, NewLease asked, Profile profile) {
    return (maker.ask().isPresent()
            ? news.requestOf(grant.requestId())
            : Future.succeededFuture(Optional.<AccessRequest>empty()))
        .compose(request -> stored(maker, grant, asked, profile, request));
  }

  private Future<CreatedLease> stored(
      Maker maker, Grant grant, NewLease asked, Profile profile, Optional<AccessRequest> request) {
    return pool.withTransaction(
            conn -> {
              Instant now = clock.instant();
              return LeaseStore.liveOf(conn, grant.id(), now)
                  .compose(
                      live -> {
                        LeaseRules.Plan plan =
                            LeaseRules.plan(profile, grant, maker.as(), asked.terms(), live, now);
                        Lease lease = lease(grant, asked, plan, maker.ask(), now);
                        Optional<String> token =
                            asked.agent().isPresent()
                                ? Optional.empty()
                                : Optional.of(tokens.issue(lease.id()));
                        Caller caller = maker.caller();
                        return LeaseStore.insert(conn, lease, token.map(LeaseTokens::hash))
                            .compose(x -> stillActive(grant))
                            .compose(
                                x ->
                                    maker.ask().isPresent()
                                        ? audit
                                            .requested(caller, lease)
                                            .compose(y -> news.asked(conn, request, lease))
                                        : audit.created(caller, lease))
                            .map(x -> new CreatedLease(lease, token));
                      });
            })
        .onSuccess(created -> created.lease().askedBy().ifPresent(a -> news.committed()));
  }

  /**
   * The grant read again in its turn: one revoked since it was read is not leased (its leases'
   * ending waits for the same turn, so a lease committed before it is ended with the others).
   */
  private Future<Void> stillActive(Grant grant) {
    return grants
        .grantRevoked(grant.id())
        .compose(
            revoked ->
                revoked
                    ? Future.failedFuture(
                        StintException.conflict("grant " + grant.id() + " was revoked"))
                    : Future.succeededFuture());
  }

  private Lease lease(
      Grant grant, NewLease asked, LeaseRules.Plan plan, Optional<LeaseAsks.Ask> ask, Instant now) {
    // An agent's ask waits for a person whatever the profile says, and ends with the agent.
    Instant end =
        ask.map(a -> a.notAfter().isBefore(plan.expiresAt()) ? a.notAfter() : plan.expiresAt())
            .orElse(plan.expiresAt());
    return new Lease(
        ids.lease(),
        grant.requestId(),
        grant.id(),
        grant.profile(),
        grant.holder(),
        asked.terms().task(),
        new Lease.Window(now, end),
        plan.needsVote() || ask.isPresent() ? Lease.State.PENDING : Lease.State.ACTIVE,
        plan.narrowing(),
        asked.agent(),
        Optional.empty(),
        Optional.empty(),
        // Recorded as the profile said at the ask: whether its holder's vote may decide it.
        ask.map(a -> a.askedBy().approverRequired(plan.needsVote())));
  }

  /** An agent's identity names an issuer the policy trusts, and a subject of one plain line. */
  private static void requireKnownAgent(Policy policy, Person agent) {
    if (policy.issuerByUrl(agent.issuer()).isEmpty()) {
      throw StintException.invalid(
          "the agent's issuer is not an issuer of the policy (give its URL as the policy's"
              + " issuers do)");
    }
    String subject = agent.subject();
    if (subject.isBlank()
        || subject.length() > MAX_SUBJECT
        || subject.chars().anyMatch(Character::isISOControl)) {
      throw StintException.invalid(
          "the agent's subject is one line of 1 to " + MAX_SUBJECT + " characters");
    }
  }
}
