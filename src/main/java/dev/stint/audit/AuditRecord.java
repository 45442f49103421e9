package dev.stint.audit;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.UUID;

/**
 * An event as committed: its place in the chain ({@code seq}), identity, time (microsecond
 * precision, as Postgres stores it) and the two hashes that link it to its predecessor.
 */
public record AuditRecord(
    long seq, UUID eventId, Instant occurredAt, AuditEvent event, String prevHash, String hash) {

  /**
   * Every column by its name, nulls included, {@code hash} last: the shape of the API and of the
   * JSONL export. Dropping {@code hash} and canonicalizing gives exactly the hashed text.
   */
  public Map<String, Object> toMap() {
    Map<String, Object> m = ChainHash.fields(seq, eventId, occurredAt, event, prevHash);
    m.put("hash", hash);
    return m;
  }

  /** The SHA-256 this record should carry, recomputed from its content. */
  public String computeHash() {
    return ChainHash.hash(seq, eventId, occurredAt, event, prevHash);
  }

  /**
   * An event read back from its {@link #toMap()} form (a JSONL export line parsed as JSON). Throws
   * IllegalArgumentException when a field is missing or of the wrong type.
   */
  @SuppressWarnings("unchecked")
  public static AuditRecord fromMap(Map<String, Object> m) {
    try {
      Object details = m.get("details");
      AuditEvent event =
          new AuditEvent(
              (String) m.get("type"),
              new AuditEvent.Actor(
                  (String) m.get("actor_issuer"),
                  (String) m.get("actor_subject"),
                  (String) m.get("actor_email")),
              (String) m.get("request_id"),
              (String) m.get("grant_id"),
              (String) m.get("profile"),
              (String) m.get("cloud"),
              (String) m.get("target"),
              (String) m.get("outcome"),
              (String) m.get("reason"),
              (String) m.get("client_address"),
              (String) m.get("user_agent"),
              details == null ? Map.of() : (Map<String, Object>) details);
      return new AuditRecord(
          ((Number) m.get("seq")).longValue(),
          UUID.fromString((String) m.get("event_id")),
          Instant.parse((String) m.get("occurred_at")),
          event,
          (String) m.get("prev_hash"),
          (String) m.get("hash"));
    } catch (ClassCastException | NullPointerException | DateTimeParseException e) {
      throw new IllegalArgumentException("not an audit event line: " + e.getMessage(), e);
    }
  }
}
