package dev.stint.audit;

import io.vertx.core.Future;

/**
 * The fail-closed audit log. {@link #append} completes only once the event is committed; it fails
 * with {@code StintException(AUDIT_UNAVAILABLE)} when the database is slow or down (the event is
 * then not written), and with {@code INTERNAL} when the event carries a secret.
 */
public interface AuditLog {
  Future<AuditRecord> append(AuditEvent event);

  /**
   * Appends {@code event} with a row of another package's that belongs to it (the ledger's row of
   * the credential a {@code credential.issued} records): both are committed in one transaction, or
   * neither is, so no credential is handed out that the ledger does not hold.
   */
  Future<AuditRecord> append(AuditEvent event, EventRows.Row<?> row);
}
