package dev.stint.agent;

import dev.stint.access.Caller;
import dev.stint.common.Ids;
import dev.stint.error.ErrorCode;
import dev.stint.error.StintException;
import dev.stint.lease.LeaseAsks;
import dev.stint.lease.RevokesAsStint;
import dev.stint.people.StoredClaims;
import dev.stint.policy.AgentRights;
import dev.stint.policy.Policy;
import dev.stint.policy.PolicyInForce;
import dev.stint.policy.Profile;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A person's agents: enrolled for profiles of the policy in force that allow task leases, each
 * named once among the person's live agents; listed with what each asked; revoked by their person
 * alone, which ends every lease the agent asked, pending or active, as stint revokes a lease (its
 * sessions denied). A revoke repeated ends whatever the first could not.
 */
final class Enrollment implements AgentDesk {
  static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");
  static final int MAX_PROFILES = 20;

  private final AgentStore store;
  private final AgentAudit audit;
  private final PolicyInForce policies;
  private final LeaseAsks asks;
  private final RevokesAsStint ending;
  private final Clock clock;
  private final Ids ids = new Ids();
  private final AgentTokens tokens = new AgentTokens();

  Enrollment(
      AgentStore store,
      AgentAudit audit,
      PolicyInForce policies,
      LeaseAsks asks,
      RevokesAsStint ending,
      Clock clock) {
    this.store = store;
    this.audit = audit;
    this.policies = policies;
    this.asks = asks;
    this.ending = ending;
    this.clock = clock;
  }

  @Override
  public Future<EnrolledAgent> enroll(Caller caller, NewAgent asked) {
    return Future.<Void>succeededFuture()
        .compose(x -> store.ofOwner(caller.person()))
        .compose(
            mine -> {
              // As Postgres keeps it, so the answer and every later read agree.
              Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
              check(policies.current(), asked, mine, now);
              Agent agent =
                  new Agent(
                      ids.agent(),
                      asked.name(),
                      caller.person(),
                      caller.principal().issuerName(),
                      asked.profiles(),
                      now,
                      now.plus(asked.expiresIn()),
                      Optional.empty(),
                      StoredClaims.of(caller.principal()));
              String token = tokens.issue(agent.id());
              return store
                  .insert(agent, AgentTokens.hash(token))
                  .compose(a -> audit.enrolled(caller, a))
                  .map(x -> new EnrolledAgent(agent, token));
            })
        .recover(e -> audit.refused(caller, "enroll", "", e));
  }

  private static void check(Policy policy, NewAgent asked, List<Agent> mine, Instant now) {
    if (!NAME.matcher(asked.name()).matches()) {
      throw StintException.invalid(
          "an agent's name is 1 to 63 lowercase letters, digits, '.', '_' or '-', starting with a"
              + " letter or digit");
    }
    if (mine.stream().anyMatch(a -> a.liveAt(now) && a.name().equals(asked.name()))) {
      throw StintException.conflict("you already have an agent named '" + asked.name() + "'");
    }
    if (asked.profiles().isEmpty() || asked.profiles().size() > MAX_PROFILES) {
      throw StintException.invalid("an agent is enrolled for 1 to " + MAX_PROFILES + " profiles");
    }
    if (new HashSet<>(asked.profiles()).size() != asked.profiles().size()) {
      throw StintException.invalid("a profile is named twice");
    }
    for (String name : asked.profiles()) {
      Profile p =
          policy
              .profile(name)
              .orElseThrow(() -> StintException.invalid("unknown profile '" + name + "'"));
      AgentRights.mayEnrollFor(p).orRefuse();
    }
    if (asked.expiresIn().isNegative()
        || asked.expiresIn().isZero()
        || asked.expiresIn().compareTo(NewAgent.MAX_EXPIRY) > 0) {
      throw StintException.invalid(
          "an agent expires within " + NewAgent.MAX_EXPIRY.toDays() + " days of its enrollment");
    }
  }

  @Override
  public Future<List<AgentShown>> mine(Caller caller) {
    return store
        .ofOwner(caller.person())
        .compose(
            agents -> {
              List<Future<AgentShown>> shown = new ArrayList<>();
              for (Agent a : agents) {
                shown.add(asks.ofAgent(a.id()).map(leases -> new AgentShown(a, leases)));
              }
              return Future.all(shown).map(x -> shown.stream().map(Future::result).toList());
            });
  }

  @Override
  public Future<Agent> revoke(Caller caller, String id) {
    Instant now = clock.instant();
    return store
        .find(id)
        .map(
            found ->
                found
                    .filter(a -> a.owner().is(caller.person()))
                    .orElseThrow(
                        () ->
                            new StintException(
                                ErrorCode.NOT_FOUND, "no agent " + id + " of yours")))
        .compose(
            agent ->
                store
                    .revoke(id, now)
                    .map(revoked -> revoked.orElse(agent))
                    .compose(revoked -> endLeases(revoked).map(n -> new Ended(revoked, n))))
        .compose(ended -> audit.revoked(caller, ended.agent(), ended.leases()).map(ended.agent()))
        .recover(e -> audit.refused(caller, "revoke", id, e));
  }

  private record Ended(Agent agent, int leases) {}

  /** Ends every lease {@code agent} asked that is still pending or active: how many. */
  Future<Integer> endLeases(Agent agent) {
    RevokesAsStint.Reason reason =
        new RevokesAsStint.Reason(
            "agent " + agent.name() + " was revoked", "agent", "agent_id", agent.id());
    return asks.ofAgent(agent.id())
        .compose(
            leases -> {
              Future<Integer> chain = Future.succeededFuture(0);
              for (var lease : leases) {
                chain =
                    chain.compose(
                        n ->
                            ending
                                .revokeAsStint(lease.id(), reason)
                                .map(done -> done.isPresent() ? n + 1 : n));
              }
              return chain;
            });
  }
}
