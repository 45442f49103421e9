package dev.stint.audit;

import io.vertx.core.Context;
import io.vertx.core.Promise;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * One append waiting for its batch, with the row that commits with it, if any; completes on the
 * caller's context.
 */
record PendingAppend(
    UUID eventId,
    Instant occurredAt,
    AuditEvent event,
    Optional<EventRows.Row<?>> row,
    long appendedNanos,
    long deadlineNanos,
    Context caller,
    Promise<AuditRecord> promise) {

  void succeed(AuditRecord r) {
    run(() -> promise.tryComplete(r));
  }

  void fail(Throwable t) {
    run(() -> promise.tryFail(t));
  }

  private void run(Runnable r) {
    if (caller == null) {
      r.run();
    } else {
      caller.runOnContext(v -> r.run());
    }
  }
}
