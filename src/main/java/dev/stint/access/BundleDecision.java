package dev.stint.access;

import dev.stint.access.AccessService.Action;
import dev.stint.access.Transition.Changed;
import dev.stint.access.Transition.Refused;
import dev.stint.error.ErrorCode;
import dev.stint.error.StintException;
import dev.stint.policy.Policy;
import dev.stint.policy.RequestRights;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One approve, deny or cancel for every request of a bundle, under all their row locks, all or
 * none: a vote counts only if it counts on every profile (each profile's approver rule, step-up and
 * escalation hold for the voter), so the strictest rule of the bundle is the one applied. The first
 * refusal refuses the whole decision, with the profile it came from.
 */
final class BundleDecision {
  private final AccessService access;
  private final AccessStore store;
  private final AccessAudit audit;

  BundleDecision(AccessService access, AccessStore store, AccessAudit audit) {
    this.access = access;
    this.store = store;
    this.audit = audit;
  }

  /** One decision on a bundle, as asked: by whom, on which id, what, when, on which policy. */
  private record Asked(
      Caller caller, BundleStore.Ref bundle, String id, Action action, Act act, Policy policy) {}

  /** Answers the request asked about ({@code id}), or the bundle's first for the bundle's id. */
  Future<AccessRequest> decide(
      Caller caller, BundleStore.Ref bundle, String id, Action action, Act act, Policy policy) {
    Asked asked = new Asked(caller, bundle, id, action, act, policy);
    List<RequestListener.Change> changes = new ArrayList<>();
    return store
        .bundleWrites()
        .updateAll(
            bundle.requestIds(),
            current -> judge(asked, current),
            changed -> {
              RequestListener.Change change =
                  AccessService.change(changed, act.actor(), act.comment(), act.at());
              changes.add(change);
              return List.of(change);
            })
        .recover(e -> access.unseen(caller, action, id, e).map(o -> List.<Transition>of(o)))
        .compose(outcomes -> answer(outcomes, changes, id));
  }

  /**
   * Every request of the bundle under its row lock: all change, each on the record, or the first
   * refusal stops the whole bundle and is the one recorded.
   */
  private Future<List<Transition>> judge(Asked a, List<AccessRequest> current) {
    AccessRules rules = new AccessRules(a.policy(), a.act().at());
    if (current.stream().noneMatch(r -> rules.maySee(a.caller().principal(), r))) {
      return Future.failedFuture(StintException.notFound("no request " + a.id()));
    }
    List<Transition> outcomes = new ArrayList<>();
    for (AccessRequest r : current) {
      RequestRights may = rules.rights(a.caller().principal(), r);
      // Someone who sees part of the bundle knows its profiles: they hear which one stops them.
      outcomes.add(
          may.maySee().allowed()
              ? access.apply(a.action(), r, a.act(), may)
              : new Refused(ErrorCode.FORBIDDEN, may.maySee().reason()));
    }
    for (int i = 0; i < outcomes.size(); i++) {
      if (outcomes.get(i) instanceof Refused refused) {
        AccessRequest r = current.get(i);
        Refused whole =
            new Refused(
                refused.code(),
                "bundle "
                    + a.bundle().id()
                    + ", profile '"
                    + r.profile()
                    + "': "
                    + refused.reason());
        return audit
            .decided(a.caller(), a.action(), r, whole, Optional.empty())
            .map(x -> List.<Transition>of(whole));
      }
    }
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < outcomes.size(); i++) {
      AccessRequest before = current.get(i);
      Transition outcome = outcomes.get(i);
      chain =
          chain.compose(
              x -> audit.decided(a.caller(), a.action(), before, outcome, Optional.empty()));
    }
    return chain.map(outcomes);
  }

  /** The refusal, or, once committed, the request asked about (or the bundle's first). */
  private Future<AccessRequest> answer(
      List<Transition> outcomes, List<RequestListener.Change> changes, String id) {
    Optional<Refused> refused =
        outcomes.stream().filter(Refused.class::isInstance).map(Refused.class::cast).findFirst();
    if (refused.isPresent()) {
      return Future.failedFuture(new StintException(refused.get().code(), refused.get().reason()));
    }
    access.committed(changes);
    List<AccessRequest> after = outcomes.stream().map(o -> ((Changed) o).request()).toList();
    return Future.succeededFuture(
        after.stream().filter(r -> r.id().equals(id)).findFirst().orElse(after.get(0)));
  }
}
