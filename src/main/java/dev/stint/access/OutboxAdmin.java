package dev.stint.access;

import dev.stint.audit.AuditLog;
import dev.stint.error.StintException;
import dev.stint.outbox.Outbox;
import dev.stint.policy.PolicyInForce;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.List;

/**
 * What admins do with the outbox: see what has not been delivered (pending and dead rows) and put a
 * row back in line. Only the policy's admins may; every refusal and every retry is audited ({@code
 * outbox.refused}, {@code outbox.retried}).
 */
final class OutboxAdmin {
  private final Outbox<?> outbox;
  private final PolicyInForce policies;
  private final AuditLog audit;
  private final Clock clock;
  private final Runnable poke;

  /**
   * @param poke runs after a retry, so that the row is delivered now rather than at the next look
   */
  OutboxAdmin(
      Outbox<?> outbox, PolicyInForce policies, AuditLog audit, Clock clock, Runnable poke) {
    this.outbox = outbox;
    this.policies = policies;
    this.audit = audit;
    this.clock = clock;
    this.poke = poke;
  }

  Future<List<Outbox.Entry>> undelivered(Caller caller, int limit) {
    return requireAdmin(caller, "list").compose(x -> outbox.undelivered(limit));
  }

  Future<Outbox.Entry> retry(Caller caller, long id) {
    return requireAdmin(caller, "retry " + id)
        .compose(x -> outbox.retry(id, clock.instant()))
        .compose(
            found ->
                found.isEmpty()
                    ? Future.failedFuture(
                        StintException.notFound("no undelivered outbox entry " + id))
                    : audit
                        .append(
                            caller
                                .event("outbox.retried")
                                .requestId(found.get().requestId())
                                .outcome("ok")
                                .reason("put back in line by an admin")
                                .detail("outbox_id", id)
                                .detail("listener", found.get().listener())
                                .detail("event", found.get().event())
                                .build())
                        .map(found.get())
                        .onSuccess(e -> poke.run()));
  }

  private Future<Void> requireAdmin(Caller caller, String action) {
    if (policies.evaluator().isAdmin(caller.principal(), clock.instant())) {
      return Future.succeededFuture();
    }
    StintException refused =
        StintException.forbidden("only the policy's admins may see or" + " retry the outbox");
    return audit
        .append(
            caller
                .event("outbox.refused")
                .outcome("refused")
                .reason(refused.detail())
                .detail("action", action)
                .build())
        .compose(x -> Future.failedFuture(refused));
  }
}
