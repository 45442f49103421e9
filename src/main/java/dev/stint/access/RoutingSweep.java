package dev.stint.access;

import dev.stint.access.RoutingStore.Mark;
import dev.stint.policy.Policy;
import dev.stint.policy.PolicyStore;
import dev.stint.policy.Profile;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Tells approvers about requests that wait: records {@code request.escalated} once for each pending
 * request that has waited its profile's {@code escalate_after}, and re-notifies ({@code
 * request.reminder}, recorded as {@code request.reminded}) once per {@code remind_after} while it
 * stays pending. Both go to the notifiers through the outbox. An escalation record is news, not a
 * permission: who may decide follows from the request's age in the policy's rights whether or not
 * the sweeper has run yet.
 */
final class RoutingSweep {
  static final String ESCALATED = "request.escalated";
  static final String REMINDER = "request.reminder";
  private final RoutingStore store;
  private final PolicyStore policies;
  private final AccessAudit audit;

  RoutingSweep(RoutingStore store, PolicyStore policies, AccessAudit audit) {
    this.store = store;
    this.policies = policies;
    this.audit = audit;
  }

  /** Escalations, then reminders, one request per transaction; {@code committed} hears each. */
  Future<Integer> run(Instant now, Consumer<List<RequestListener.Change>> committed, int done) {
    Policy policy = policies.current();
    Map<String, Instant> escalate =
        dueBy(policy, now, p -> p.approval().escalation().map(e -> e.after()));
    Map<String, Instant> remind = dueBy(policy, now, p -> p.approval().remindAfter());
    return mark(
            Mark.ESCALATED,
            escalate,
            now,
            committed,
            done,
            r ->
                audit.escalated(
                    r,
                    policy
                        .profile(r.profile())
                        .flatMap(p -> p.approval().escalation())
                        .orElseThrow()))
        .compose(
            n ->
                mark(
                    Mark.REMINDED,
                    remind,
                    now,
                    committed,
                    n,
                    r ->
                        audit.reminded(
                            r,
                            policy
                                .profile(r.profile())
                                .flatMap(p -> p.approval().remindAfter())
                                .orElseThrow())));
  }

  /** Profile name to the latest time a request (or its last reminder) may date from to be due. */
  private static Map<String, Instant> dueBy(
      Policy policy, Instant now, Function<Profile, Optional<Duration>> wait) {
    Map<String, Instant> due = new HashMap<>();
    for (Profile p : policy.profiles().values()) {
      wait.apply(p).ifPresent(w -> due.put(p.name(), now.minus(w)));
    }
    return due;
  }

  private Future<Integer> mark(
      Mark mark,
      Map<String, Instant> dueBy,
      Instant now,
      Consumer<List<RequestListener.Change>> committed,
      int done,
      Function<AccessRequest, Future<Void>> record) {
    String event = mark == Mark.ESCALATED ? ESCALATED : REMINDER;
    return store
        .markNext(mark, dueBy, now, record::apply, r -> List.of(change(event, r, now)))
        .compose(
            next -> {
              if (next.isEmpty()) {
                return Future.succeededFuture(done);
              }
              committed.accept(List.of(change(event, next.get(), now)));
              return mark(mark, dueBy, now, committed, done + 1, record);
            });
  }

  private static RequestListener.Change change(String event, AccessRequest r, Instant at) {
    return new RequestListener.Change(event, r, Act.SYSTEM, Optional.empty(), at);
  }
}
