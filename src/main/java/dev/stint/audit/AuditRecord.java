package dev.stint.audit;

import java.time.Instant;
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
}
