package dev.stint.access;

import dev.stint.policy.Escalation;
import dev.stint.policy.Policy;
import dev.stint.policy.PolicyStore;
import dev.stint.policy.Profile;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Records {@code request.escalated} once for each pending request that has waited its profile's
 * {@code escalate_after}, and tells the notifiers through the outbox. The record is news, not a
 * permission: who may decide follows from the request's age in the policy's rights whether or
 * not the sweeper has run yet.
 */
final class EscalationSweep {
  private final RoutingStore store;
  private final PolicyStore policies;
  private final AccessAudit audit;

  EscalationSweep(RoutingStore store, PolicyStore policies, AccessAudit audit) {
    this.store = store;
    this.policies = policies;
    this.audit = audit;
  }

  /** Marks every due request, one per transaction; {@code committed} hears each change. */
  Future<Integer> run(Instant now, Consumer<List<RequestListener.Change>> committed, int done) {
    Policy policy = policies.current();
    Map<String, Instant> dueBy = new HashMap<>();
    for (Profile p : policy.profiles().values()) {
      p.approval().escalation().ifPresent(e -> dueBy.put(p.name(), now.minus(e.after())));
    }
    return store.escalateNext(dueBy, now, r -> audit.escalated(r, escalation(policy, r)),
            r -> List.of(change(r, now)))
        .compose(next -> {
          if (next.isEmpty()) {
            return Future.succeededFuture(done);
          }
          committed.accept(List.of(change(next.get(), now)));
          return run(now, committed, done + 1);
        });
  }

  /** Found by the query above, so present in the snapshot that built it. */
  private static Escalation escalation(Policy policy, AccessRequest r) {
    return policy.profile(r.profile()).flatMap(p -> p.approval().escalation()).orElseThrow();
  }

  private static RequestListener.Change change(AccessRequest r, Instant at) {
    return new RequestListener.Change("request.escalated", r, Act.SYSTEM, Optional.empty(), at);
  }
}
