package dev.stint.access;

import dev.stint.access.AccessRequest.RequestState;
import dev.stint.error.RetryLater;
import dev.stint.ledger.LedgerReach;
import dev.stint.outbox.Outbox;
import dev.stint.policy.FactNeeds;
import dev.stint.policy.FactValues;
import dev.stint.policy.Policy;
import dev.stint.policy.PolicyInForce;
import dev.stint.policy.Profile;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Deciding on requests and revoking grants ({@link Decisions}): the group a decision applies to,
 * the facts its votes read and what a revoke reaches are gathered before the row locks; {@link
 * GroupDecision} then decides under them. Revokes wait their turn per person and are paced.
 */
final class RequestDeciding implements Decisions {
  private final AccessStore store;
  private final PolicyInForce policies;
  private final AccessAudit audit;
  private final Clock clock;
  private final FactLookups lookups;
  private final BundleStore bundles;
  private final LedgerReach reaches;
  private final GroupDecision decision;
  private final RevokeTurns revokeTurns;
  private final OutboxAdmin outbox;
  private volatile RevocationPace pace = RevocationPace.NONE;

  RequestDeciding(AccessCore core) {
    this.store = core.store();
    this.policies = core.policies();
    this.audit = core.audit();
    this.clock = core.clock();
    this.lookups = core.lookups();
    this.bundles = core.store().bundles();
    this.reaches = new LedgerReach(core.store().grants().ledger());
    this.decision = new GroupDecision(core.store(), core.audit(), core.feed());
    this.revokeTurns = core.revokeTurns();
    this.outbox =
        new OutboxAdmin(
            core.store().outbox(), policies, core.audit().log(), clock, core.feed()::poke);
  }

  /**
   * Approve, deny, cancel, revoke or review one request, under its row lock. A revoke, from any
   * route (the API, the pages, Slack), waits for the caller's earlier revokes here and is paced
   * when it ends the caller's own grant ({@link #paced}).
   */
  @Override
  public Future<AccessRequest> decide(
      Caller caller, String id, Action action, Optional<String> comment) {
    if (action != Action.REVOKE) {
      return decide(caller, id, action, comment, policies.current());
    }
    return revokeTurns.inTurn(
        caller.person(),
        () ->
            paced(caller, id)
                .compose(x -> decide(caller, id, Action.REVOKE, comment, policies.current())));
  }

  /**
   * Revokes, as {@link #decide} does, and answers what the revoke reaches, read from the ledger
   * after the commit: every credential handed out on the grant is there by then (an issuance
   * records its credential before it checks the grant again, and withholds it if revoked). If the
   * read fails, the revoke stands and the answer says nothing is known to be valid.
   */
  @Override
  public Future<Revoked> revoke(Caller caller, String id, Optional<String> comment) {
    return decide(caller, id, Action.REVOKE, comment)
        .compose(
            r -> {
              Grant grant = r.grant().orElseThrow();
              return reaches
                  .of(grant.id(), grant.endsAt(), Act.now(clock))
                  .map(reach -> new Revoked(r, reach));
            });
  }

  @Override
  public Future<List<Outbox.Entry>> undelivered(Caller caller, int limit) {
    return outbox.undelivered(caller, limit);
  }

  @Override
  public Future<Outbox.Entry> retryDelivery(Caller caller, long id) {
    return outbox.retry(caller, id);
  }

  /** Slows a person's revocations of their own grants as {@code pace} says (the server's). */
  void pace(RevocationPace pace) {
    this.pace = pace;
  }

  /**
   * Fails with {@link RetryLater} when the caller revokes their own active grant and {@link
   * RevocationPace} says it must wait: recorded as {@code request.revoke_paced}, not as a refusal.
   * Anyone else's revoke, and one of a grant not active, goes on to be decided as ever. Own means
   * the same (issuer, subject), never a shared email: pacing takes a right away for a while, and an
   * email from any issuer must not let someone slow an approver's revoke of their grant.
   */
  private Future<Void> paced(Caller caller, String id) {
    Instant now = Act.now(clock);
    return store
        .find(id)
        .compose(
            found -> {
              Optional<Grant> own =
                  found
                      .filter(r -> r.state() == RequestState.APPROVED)
                      .flatMap(AccessRequest::grant)
                      .filter(g -> g.revocation().isEmpty())
                      .filter(g -> caller.person().is(g.holder()));
              if (own.isEmpty()) {
                return Future.succeededFuture();
              }
              return pace.of(own.get(), now)
                  .compose(
                      paced ->
                          paced.isEmpty()
                              ? Future.<Void>succeededFuture()
                              : audit
                                  .paced(caller, found.get(), paced.get())
                                  .compose(y -> Future.failedFuture(paced.get().refusal())));
            });
  }

  /**
   * One decision on one policy snapshot. An approve, deny or cancel of a bundled request (or of the
   * bundle's id) is one for the whole bundle; anything else applies to the request alone, a group
   * of one. A revoke's event records what its grant reached as read just before the row lock.
   */
  private Future<AccessRequest> decide(
      Caller caller, String id, Action action, Optional<String> comment, Policy policy) {
    Act act = new Act(caller.person(), Act.now(clock), comment);
    Future<DecisionAsked.Group> group =
        action == Action.REVOKE || action == Action.REVIEW
            ? Future.succeededFuture(DecisionAsked.Group.of(id))
            : bundles
                .of(id)
                .map(
                    b ->
                        b.map(DecisionAsked.Group::of).orElseGet(() -> DecisionAsked.Group.of(id)));
    Future<FactValues> looked =
        group.compose(g -> votersFacts(caller, action, g.requestIds(), policy));
    return Future.all(group, reachBefore(action, id, act.at()), looked)
        .compose(
            x ->
                decision.decide(
                    new DecisionAsked(
                        caller,
                        group.result(),
                        id,
                        action,
                        act,
                        policy,
                        x.<Optional<DecisionAsked.Reached>>resultAt(1),
                        looked.result())));
  }

  /**
   * For a vote, the facts the approver rules of its requests read about the voter (and the
   * requests' ticket), looked up before the row locks; none for anything else, or when no rule
   * reads a fact.
   */
  private Future<FactValues> votersFacts(
      Caller caller, Action action, List<String> ids, Policy policy) {
    boolean vote = action == Action.APPROVE || action == Action.DENY;
    if (!vote || policy.profiles().values().stream().allMatch(p -> p.voteNeeds().none())) {
      return Future.succeededFuture(FactValues.NONE);
    }
    List<Future<Optional<AccessRequest>>> each = ids.stream().map(store::find).toList();
    return Future.all(each)
        .compose(
            x -> {
              List<AccessRequest> found =
                  each.stream().map(Future::result).flatMap(Optional::stream).toList();
              FactNeeds needs =
                  found.stream()
                      .map(r -> policy.profile(r.profile()).map(Profile::voteNeeds))
                      .flatMap(Optional::stream)
                      .reduce(FactNeeds.NONE, FactNeeds::and);
              return votersFacts(needs, caller, found);
            });
  }

  /**
   * The facts of one vote on {@code found} (a bundle's requests, or one): looked up about the
   * request with the first ticket, as {@link #lookUpEach} does.
   */
  private Future<FactValues> votersFacts(
      FactNeeds needs, Caller caller, List<AccessRequest> found) {
    return lookups.lookUpEach(
        needs,
        caller,
        found.stream()
            .sorted(Comparator.comparing((AccessRequest r) -> r.ticket().isEmpty()))
            .map(FactContexts::asked)
            .toList());
  }

  /**
   * For a revoke, what its grant reaches, read just before the request's row lock is taken: inside
   * it, the read would hold a second pooled connection while the first holds the lock, and
   * concurrent decisions could then wait on each other for connections.
   */
  private Future<Optional<DecisionAsked.Reached>> reachBefore(
      Action action, String id, Instant at) {
    if (action != Action.REVOKE) {
      return Future.succeededFuture(Optional.empty());
    }
    return store
        .find(id)
        .compose(
            found ->
                found
                    .flatMap(AccessRequest::grant)
                    .map(
                        g ->
                            reaches
                                .of(g.id(), g.endsAt(), at)
                                .map(r -> Optional.of(new DecisionAsked.Reached(g.id(), r))))
                    .orElseGet(() -> Future.succeededFuture(Optional.empty())));
  }
}
