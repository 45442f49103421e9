package dev.stint.sink;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stint.audit.AuditRecord;

/** An event as the API and the JSONL export show it: every column by name, {@code hash} last. */
final class AuditJson {
  static final ObjectMapper JSON = new ObjectMapper();

  private AuditJson() {}

  static byte[] bytes(Object value) {
    try {
      return JSON.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("audit events are plain JSON values", e);
    }
  }

  static byte[] of(AuditRecord r) {
    return bytes(r.toMap());
  }
}
