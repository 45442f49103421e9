package dev.stint.access;

import dev.stint.access.Transition.Changed;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The sweeper's round: stale pending requests time out, ended grants expire, holders are reminded
 * of an end coming, escalations are recorded and approvers reminded. One row per transaction, each
 * taken by exactly one replica ({@code SKIP LOCKED}), so replicas sweeping at once share the work.
 */
final class RequestSweep {
  private final AccessStore store;
  private final AccessAudit audit;
  private final AccessSettings settings;
  private final RoutingSweep routing;
  private final Supplier<Instant> now;
  private final Consumer<List<RequestListener.Change>> committed;

  RequestSweep(
      AccessStore store,
      AccessAudit audit,
      AccessSettings settings,
      RoutingSweep routing,
      Supplier<Instant> now,
      Consumer<List<RequestListener.Change>> committed) {
    this.store = store;
    this.audit = audit;
    this.settings = settings;
    this.routing = routing;
    this.now = now;
    this.committed = committed;
  }

  /** One round; answers how many requests changed or were marked. */
  Future<Integer> run() {
    return drain(AccessStore.Due.TIMED_OUT, 0)
        .compose(n -> drain(AccessStore.Due.EXPIRED, n))
        .compose(this::remind)
        .compose(n -> routing.run(now.get(), committed, n));
  }

  /** Sends {@code grant.expiring} once per grant end, {@code expiryReminder} before it. */
  private Future<Integer> remind(int done) {
    Instant now = this.now.get();
    return store
        .grants()
        .remindNext(
            now, settings.expiryReminder(), r -> audit.expiring(r), r -> List.of(expiring(r, now)))
        .compose(
            next -> {
              if (next.isEmpty()) {
                return Future.succeededFuture(done);
              }
              committed.accept(List.of(expiring(next.get(), now)));
              return remind(done + 1);
            });
  }

  private Future<Integer> drain(AccessStore.Due due, int done) {
    Instant now = this.now.get();
    return store
        .updateNextDue(
            due,
            now,
            settings.reviewTimeout(),
            current -> {
              Transition outcome =
                  due == AccessStore.Due.TIMED_OUT
                      ? RequestMachine.timeOut(current, settings.reviewTimeout(), now)
                      : RequestMachine.expire(current, now);
              return audit.swept(current, outcome).map(outcome);
            },
            changed ->
                List.of(RequestListener.Change.of(changed, Act.SYSTEM, Optional.empty(), now)))
        .compose(
            next -> {
              if (next.isEmpty()) {
                return Future.succeededFuture(done);
              }
              if (next.get() instanceof Changed changed) {
                committed.accept(
                    List.of(RequestListener.Change.of(changed, Act.SYSTEM, Optional.empty(), now)));
              }
              return drain(due, done + 1);
            });
  }

  private static RequestListener.Change expiring(AccessRequest r, Instant at) {
    return new RequestListener.Change("grant.expiring", r, Act.SYSTEM, Optional.empty(), at);
  }
}
