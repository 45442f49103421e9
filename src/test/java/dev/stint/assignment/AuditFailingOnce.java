package dev.stint.assignment;

import dev.stint.audit.AuditEvent;
import dev.stint.audit.AuditLog;
import dev.stint.audit.AuditRecord;
import dev.stint.audit.EventRows;
import dev.stint.error.ErrorCode;
import dev.stint.error.StintException;
import io.vertx.core.Future;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An audit log that refuses the first append of each of some event types, as the real one does when
 * the database is slow or down: the event is not written, nor any row appended with it.
 */
final class AuditFailingOnce implements AuditLog {
  private final AuditLog inner;
  private final Set<String> pending = ConcurrentHashMap.newKeySet();

  AuditFailingOnce(AuditLog inner, Set<String> types) {
    this.inner = inner;
    this.pending.addAll(types);
  }

  @Override
  public Future<AuditRecord> append(AuditEvent event) {
    return refused(event) ? unavailable() : inner.append(event);
  }

  @Override
  public Future<AuditRecord> append(AuditEvent event, EventRows.Row<?> row) {
    return refused(event) ? unavailable() : inner.append(event, row);
  }

  private boolean refused(AuditEvent event) {
    return pending.remove(event.type());
  }

  private static Future<AuditRecord> unavailable() {
    return Future.failedFuture(
        new StintException(ErrorCode.AUDIT_UNAVAILABLE, "the audit log is unavailable"));
  }
}
