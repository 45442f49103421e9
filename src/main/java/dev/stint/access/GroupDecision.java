package dev.stint.access;

import dev.stint.access.Transition.Changed;
import dev.stint.access.Transition.Refused;
import dev.stint.common.Ids;
import dev.stint.error.ErrorCode;
import dev.stint.error.StintException;
import dev.stint.ledger.RevocationReach;
import dev.stint.policy.FactValues;
import dev.stint.policy.RequestRights;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One approve, deny, cancel, revoke or review, applied to a group of requests under all their row
 * locks, all or none. A request alone is a group of one; a bundle's requests are one group for
 * approve, deny and cancel. A vote counts only if it counts on every request of the group (each
 * profile's approver rule, step-up and escalation hold for the voter), so the strictest rule of a
 * bundle is the one applied. The first refusal refuses the whole decision and is the one recorded.
 *
 * <p>What an action does to one request ({@link #apply}), what a request not seen answers ({@link
 * #unseen}) and who hears of the changes ({@code committed}) are this class's: the use cases ask
 * it, and it asks none of them.
 */
final class GroupDecision {
  private final AccessStore store;
  private final AccessAudit audit;
  private final Consumer<List<RequestListener.Change>> committed;
  private final Ids ids = new Ids();

  GroupDecision(
      AccessStore store, AccessAudit audit, Consumer<List<RequestListener.Change>> committed) {
    this.store = store;
    this.audit = audit;
    this.committed = committed;
  }

  /** Answers the request asked about ({@code id}), or the bundle's first for the bundle's id. */
  Future<AccessRequest> decide(DecisionAsked asked) {
    List<RequestListener.Change> changes = new ArrayList<>();
    Act act = asked.act();
    return store
        .updateAll(
            asked.group().requestIds(),
            current -> judge(asked, current),
            changed -> {
              RequestListener.Change change =
                  RequestListener.Change.of(changed, act.actor(), act.comment(), act.at());
              changes.add(change);
              return List.of(change);
            })
        .recover(
            e ->
                unseen(asked.caller(), asked.action(), asked.id(), e, asked.facts())
                    .map(o -> List.<Transition>of(o)))
        .compose(outcomes -> answer(outcomes, changes, asked.id()));
  }

  /**
   * Every request of the group under its row lock: all change, each on the record, or the first
   * refusal stops the whole group and is the one recorded.
   */
  private Future<List<Transition>> judge(DecisionAsked a, List<AccessRequest> current) {
    AccessRules rules = new AccessRules(a.policy(), a.act().at());
    if (current.stream()
        .noneMatch(r -> rules.rights(a.caller().principal(), r, a.facts()).maySee().allowed())) {
      return Future.failedFuture(StintException.notFound("no request " + a.id()));
    }
    List<Transition> outcomes = new ArrayList<>();
    for (AccessRequest r : current) {
      RequestRights may = rules.rights(a.caller().principal(), r, a.facts());
      // Someone who sees part of a bundle knows its profiles: they hear which one stops them.
      outcomes.add(
          may.maySee().allowed()
              ? namingFacts(apply(a.action(), r, a.act(), may), a.facts())
              : Refused.of(may.maySee()));
    }
    for (int i = 0; i < outcomes.size(); i++) {
      if (outcomes.get(i) instanceof Refused refused) {
        AccessRequest r = current.get(i);
        Refused whole = wholeGroup(a.group(), r, refused);
        return audit.decided(a, r, whole, reach(a, r)).map(x -> List.<Transition>of(whole));
      }
    }
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < outcomes.size(); i++) {
      AccessRequest before = current.get(i);
      Transition outcome = outcomes.get(i);
      chain = chain.compose(x -> audit.decided(a, before, outcome, reach(a, before)));
    }
    return chain.map(outcomes);
  }

  /** A vote refused while facts were read says what they were, so the voter can tell why. */
  private static Transition namingFacts(Transition outcome, FactValues facts) {
    if (outcome instanceof Refused refused
        && refused.code() == ErrorCode.FORBIDDEN
        && !facts.isEmpty()) {
      return new Refused(
          refused.code(),
          refused.reason() + " (facts: " + facts.describeForCaller(facts.held()) + ")");
    }
    return outcome;
  }

  /** A bundle's refusal names the bundle and the profile it came from; one request's is its own. */
  private static Refused wholeGroup(DecisionAsked.Group group, AccessRequest r, Refused refused) {
    return group
        .bundle()
        .map(
            b ->
                new Refused(
                    refused.code(),
                    "bundle " + b.id() + ", profile '" + r.profile() + "': " + refused.reason()))
        .orElse(refused);
  }

  /**
   * What a revoke of {@code r} reaches, for its event: what was read before the lock for its grant,
   * or unknown when that read found another grant or none. Nothing for other actions.
   */
  private static Optional<RevocationReach> reach(DecisionAsked a, AccessRequest r) {
    if (a.action() != Action.REVOKE) {
      return Optional.empty();
    }
    return r.grant()
        .map(
            g ->
                a.reached()
                    .filter(reached -> reached.grantId().equals(g.id()))
                    .map(DecisionAsked.Reached::reach)
                    .orElse(RevocationReach.unknown(g.endsAt())));
  }

  /** The refusal, or, once committed, the request asked about (or the bundle's first). */
  private Future<AccessRequest> answer(
      List<Transition> outcomes, List<RequestListener.Change> changes, String id) {
    Optional<Refused> refused =
        outcomes.stream().filter(Refused.class::isInstance).map(Refused.class::cast).findFirst();
    if (refused.isPresent()) {
      return Future.failedFuture(new StintException(refused.get().code(), refused.get().reason()));
    }
    committed.accept(changes);
    List<AccessRequest> after = outcomes.stream().map(o -> ((Changed) o).request()).toList();
    return Future.succeededFuture(
        after.stream().filter(r -> r.id().equals(id)).findFirst().orElse(after.get(0)));
  }

  /**
   * A decision on a request that does not exist, or that the caller may not see, is refused like
   * any other: on the record (the id as given, redacted by the audit if it looks like a secret),
   * then the same 404 either way, so the answer does not tell the two apart. The facts the request
   * was not seen on are recorded with it.
   */
  private Future<Transition> unseen(
      Caller caller, Action action, String id, Throwable e, FactValues looked) {
    if (e instanceof StintException refusal && refusal.code() == ErrorCode.NOT_FOUND) {
      return audit
          .refused(caller, action.code(), null, Optional.of(id), refusal, looked)
          .compose(x -> Future.failedFuture(refusal));
    }
    return Future.failedFuture(e);
  }

  /**
   * The policy answers who may and {@link Vote#refusal} whether a vote may be cast; the machine
   * decides what happens, and keeps the rules no policy can change (the requester never approves,
   * denies or reviews their own request).
   */
  private Transition apply(Action action, AccessRequest r, Act act, RequestRights may) {
    return switch (action) {
      case APPROVE ->
          notCast(r, action, act, may)
              .orElseGet(
                  () -> RequestMachine.approve(r, act, may.mayApprove().allowed(), ids.grant()));
      case DENY ->
          notCast(r, action, act, may)
              .orElseGet(() -> RequestMachine.deny(r, act, may.mayDeny().allowed()));
      case CANCEL -> notCast(r, action, act, may).orElseGet(() -> RequestMachine.cancel(r, act));
      case REVOKE -> RequestMachine.revoke(r, act, may.mayRevoke().allowed());
      case REVIEW -> RequestMachine.review(r, act, may.mayReview());
    };
  }

  /** Why this approve, deny or cancel may not be cast on {@code r}, the extensions' rules too. */
  private static Optional<Transition> notCast(
      AccessRequest r, Action action, Act act, RequestRights may) {
    return Vote.refusal(r.voteSubject(), action, act.actor(), may)
        .map(no -> new Refused(no.code(), no.reason()));
  }
}
