package dev.stint.audit;

import java.util.List;
import java.util.Optional;

/** One page of audit records, oldest first, and the cursor of the next page if there is one. */
public record AuditPage(List<AuditRecord> events, Optional<String> nextCursor) {
  public AuditPage {
    events = List.copyOf(events);
  }
}
