package dev.stint.agent;

import dev.stint.access.AccessRequest;
import dev.stint.access.AccessRequest.RequestState;
import dev.stint.access.Caller;
import dev.stint.access.Grant;
import dev.stint.access.Requests;
import dev.stint.common.SecretShapes;
import dev.stint.error.ErrorCode;
import dev.stint.error.StintException;
import dev.stint.lease.Lease;
import dev.stint.lease.LeaseAsks;
import dev.stint.lease.LeaseTerms;
import dev.stint.lease.RevokesAsStint;
import dev.stint.policy.AgentRights;
import dev.stint.policy.PolicyInForce;
import dev.stint.policy.Profile;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * An enrolled agent's asks and its leases. Before anything is filed: the agent live (its token was
 * resolved so, and it is read again), its pace ({@link AskPace}), the profile known and of its
 * enrollment, a task of one line that holds nothing shaped like a secret (an agent told to paste a
 * key into its task would write it into the record approvers read). Then, on its person's active
 * grant of the profile, the lease's own rules ({@link LeaseAsks}): its parameters, its policy
 * proven inside the grant's, its duration; without one, a request in the person's name ({@link
 * RequestFiling}). A refusal here is {@code agent.refused}; the lease's are {@code lease.refused}.
 */
final class Asking implements AgentAsking {
  static final int MAX_TASK = 500;

  private final AgentStore store;
  private final AgentAudit audit;
  private final PolicyInForce policies;
  private final Requests requests;
  private final LeaseAsks asks;
  private final RevokesAsStint ending;
  private final AskPace pace;
  private final RequestFiling filing;
  private final Clock clock;

  Asking(AgentStore store, AgentAudit audit, AgentNeeds needs, AskPace pace, Clock clock) {
    this.store = store;
    this.audit = audit;
    this.policies = needs.policies();
    this.requests = needs.requests();
    this.asks = needs.asks();
    this.ending = needs.ending();
    this.pace = pace;
    this.clock = clock;
    this.filing = new RequestFiling(requests, policies, needs.directory());
  }

  @Override
  public Future<Agent> self(Caller caller) {
    return live(caller).recover(e -> audit.refused(caller, "read", idOf(caller), e));
  }

  @Override
  public Future<Asked> ask(Caller caller, AgentAsk asked) {
    return live(caller)
        .map(
            agent -> {
              pace.take(agent.id());
              check(agent, asked);
              return agent;
            })
        .compose(agent -> grantOf(agent, caller, asked.profile()).map(g -> new Found(agent, g)))
        .recover(e -> audit.refused(caller, "ask", idOf(caller), e))
        .compose(
            found ->
                found.grant().isPresent()
                    ? asks.ask(caller, ask(found.agent(), found.grant().get(), asked))
                        .map(lease -> new Asked(Optional.of(lease), Optional.empty()))
                    : filing
                        .file(found.agent(), caller, asked)
                        .map(r -> new Asked(Optional.empty(), Optional.of(r)))
                        .recover(e -> audit.refused(caller, "ask", idOf(caller), e)));
  }

  private record Found(Agent agent, Optional<Grant> grant) {}

  private static LeaseAsks.Ask ask(Agent agent, Grant grant, AgentAsk asked) {
    return new LeaseAsks.Ask(
        grant.requestId(),
        agent.owner(),
        new Lease.AskedBy(agent.name(), agent.ownerLabel()),
        new LeaseTerms(asked.task(), asked.duration(), asked.parameters(), asked.sessionPolicy()),
        agent.expiresAt());
  }

  private void check(Agent agent, AgentAsk asked) {
    Optional<Profile> profile = policies.current().profile(asked.profile());
    if (profile.isEmpty()) {
      throw StintException.invalid(
          "unknown profile '" + asked.profile() + "': list_access names those you may ask for");
    }
    AgentRights.mayAsk(agent.name(), agent.profiles(), asked.profile()).orRefuse();
    String task = asked.task();
    if (task == null
        || task.isBlank()
        || task.length() > MAX_TASK
        || task.chars().anyMatch(Character::isISOControl)) {
      throw StintException.invalid(
          "the task is one line of 1 to " + MAX_TASK + " characters saying what the access is for");
    }
    Optional<String> secret = SecretShapes.problem(task);
    if (secret.isPresent()) {
      throw StintException.invalid(
          "the task " + secret.get() + ": never put a key or token in a task; say what it is for");
    }
  }

  /** The person's active grant of {@code profile} that lasts longest, if any. */
  private Future<Optional<Grant>> grantOf(Agent agent, Caller caller, String profile) {
    Caller person = new Caller(agent.ownerPrincipal(), caller.clientAddress(), caller.userAgent());
    Requests.Filter filter =
        new Requests.Filter(
            Set.of(RequestState.APPROVED),
            Optional.of(agent.owner()),
            Optional.of(profile),
            false,
            Requests.Filter.MAX_LIMIT);
    Instant now = clock.instant();
    return requests
        .page(person, filter)
        .map(
            page ->
                page.requests().stream()
                    .map(AccessRequest::grant)
                    .flatMap(Optional::stream)
                    .filter(g -> g.activeAt(now) && g.holder().is(agent.owner()))
                    .max(Comparator.comparing(Grant::endsAt)));
  }

  @Override
  public Future<List<Lease>> asked(Caller caller) {
    return live(caller)
        .compose(agent -> asks.ofAgent(agent.id()))
        .recover(e -> audit.refused(caller, "read", idOf(caller), e));
  }

  @Override
  public Future<AskedLease> lease(Caller caller, String leaseId) {
    return live(caller)
        .compose(
            agent ->
                asks.ofAgent(agent.id())
                    .map(
                        mine -> {
                          Optional<Lease> found =
                              mine.stream().filter(l -> l.id().equals(leaseId)).findFirst();
                          AgentRights.mayUseLease(
                                  agent.id(),
                                  leaseId,
                                  found.flatMap(Lease::agent).map(p -> p.subject()))
                              .orRefuse();
                          Caller person =
                              new Caller(
                                  agent.ownerPrincipal(),
                                  caller.clientAddress(),
                                  caller.userAgent());
                          return new AskedLease(found.orElseThrow(), person);
                        }))
        .recover(e -> audit.refused(caller, "read", idOf(caller), e));
  }

  @Override
  public Future<Lease> end(Caller caller, String leaseId) {
    return lease(caller, leaseId)
        .compose(
            asked -> {
              Lease lease = asked.lease();
              RevokesAsStint.Reason reason =
                  new RevokesAsStint.Reason(
                      "ended by the agent that asked for it",
                      "agent",
                      "agent_id",
                      lease.agent().orElseThrow().subject());
              return ending
                  .revokeAsStint(leaseId, reason)
                  .compose(
                      done ->
                          done.isPresent()
                              ? Future.succeededFuture(done.get())
                              : asks.ofAgent(lease.agent().orElseThrow().subject())
                                  .map(
                                      all ->
                                          all.stream()
                                              .filter(l -> l.id().equals(leaseId))
                                              .findFirst()
                                              .orElse(lease)));
            });
  }

  /** The caller's agent, read again: it must still be live. */
  private Future<Agent> live(Caller caller) {
    String id = idOf(caller);
    Instant now = clock.instant();
    return store
        .find(id)
        .map(
            found ->
                found
                    .filter(a -> a.liveAt(now))
                    .orElseThrow(
                        () ->
                            new StintException(
                                ErrorCode.UNAUTHENTICATED,
                                "this agent is unknown, expired or revoked: its person enrolls it"
                                    + " again")));
  }

  private static String idOf(Caller caller) {
    return Lease.AGENT_ISSUER.equals(caller.principal().issuer())
        ? caller.principal().subject()
        : "";
  }
}
