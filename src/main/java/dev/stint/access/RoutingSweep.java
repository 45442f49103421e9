package dev.stint.access;

import dev.stint.access.AccessRequest.StageProgress;
import dev.stint.access.RoutingStore.Due;
import dev.stint.access.RoutingStore.Mark;
import dev.stint.policy.Escalation;
import dev.stint.policy.Policy;
import dev.stint.policy.PolicyInForce;
import dev.stint.policy.Profile;
import dev.stint.policy.Stage;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
  private final PolicyInForce policies;
  private final AccessAudit audit;

  RoutingSweep(RoutingStore store, PolicyInForce policies, AccessAudit audit) {
    this.store = store;
    this.policies = policies;
    this.audit = audit;
  }

  /** Escalations, then reminders, one request per transaction; {@code committed} hears each. */
  Future<Integer> run(Instant now, Consumer<List<RequestListener.Change>> committed, int done) {
    Policy policy = policies.current();
    List<Due> escalate = dueBy(policy, now, s -> s.escalation().map(Escalation::after));
    List<Due> remind = dueBy(policy, now, Stage::remindAfter);
    return mark(
            Mark.ESCALATED,
            escalate,
            now,
            committed,
            done,
            r -> audit.escalated(r, openStage(policy, r).flatMap(Stage::escalation).orElseThrow()))
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
                            r, openStage(policy, r).flatMap(Stage::remindAfter).orElseThrow())));
  }

  /** Each stage with a wait, and the latest time a request (or its last reminder) may date from. */
  private static List<Due> dueBy(
      Policy policy, Instant now, Function<Stage, Optional<Duration>> wait) {
    List<Due> due = new ArrayList<>();
    for (Profile p : policy.profiles().values()) {
      for (Stage s : p.approval().stages()) {
        wait.apply(s).ifPresent(w -> due.add(new Due(p.name(), s.name(), now.minus(w))));
      }
    }
    return due;
  }

  /** The policy's stage that is open on {@code r}. */
  private static Optional<Stage> openStage(Policy policy, AccessRequest r) {
    Optional<String> open = StageProgress.open(r).map(StageProgress::name);
    return policy.profile(r.profile()).flatMap(p -> open.flatMap(name -> p.approval().stage(name)));
  }

  private Future<Integer> mark(
      Mark mark,
      List<Due> dueBy,
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
