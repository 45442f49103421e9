package dev.stint.sink;

import dev.stint.audit.AuditRecord;
import java.io.IOException;
import java.util.List;

/**
 * One receiver of the audit stream. A batch is consecutive events in seq order; delivering it must
 * be all or nothing as far as the cursor is concerned: a failure means the whole batch is sent
 * again later, so receivers see an event at least once and can deduplicate by its id. Calls block;
 * the worker runs them off the event loop.
 */
public interface Sink extends AutoCloseable {
  String name();

  void deliver(List<AuditRecord> batch) throws IOException;

  @Override
  default void close() {}
}
