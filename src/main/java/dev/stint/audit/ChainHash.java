package dev.stint.audit;

import dev.stint.common.Fingerprints;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The hash chain (docs/audit.md, "Canonical form"): {@code hash} is the lowercase hex SHA-256 of
 * the UTF-8 canonical JSON of every column but {@code hash} itself — {@code prev_hash} included,
 * which links each event to the one before it.
 */
public final class ChainHash {
  /** The {@code prev_hash} of the first event (seq 1). */
  public static final String GENESIS = "0".repeat(64);

  private static final DateTimeFormatter MICROS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

  private ChainHash() {}

  public static String hash(long seq, UUID eventId, Instant occurredAt, AuditEvent e, String prev) {
    return Fingerprints.sha256Hex(
        canonical(seq, eventId, occurredAt, e, prev).getBytes(StandardCharsets.UTF_8));
  }

  /** The exact text that is hashed; exposed so the documentation's example can be checked. */
  public static String canonical(
      long seq, UUID eventId, Instant occurredAt, AuditEvent e, String prev) {
    return CanonicalJson.write(fields(seq, eventId, occurredAt, e, prev));
  }

  static Map<String, Object> fields(
      long seq, UUID eventId, Instant occurredAt, AuditEvent e, String prev) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("seq", seq);
    m.put("event_id", eventId.toString());
    m.put("occurred_at", timestamp(occurredAt));
    m.put("type", e.type());
    m.put("actor_issuer", e.actor().issuer());
    m.put("actor_subject", e.actor().subject());
    m.put("actor_email", e.actor().email());
    m.put("request_id", e.requestId());
    m.put("grant_id", e.grantId());
    m.put("profile", e.profile());
    m.put("cloud", e.cloud());
    m.put("target", e.target());
    m.put("outcome", e.outcome());
    m.put("reason", e.reason());
    m.put("client_address", e.clientAddress());
    m.put("user_agent", e.userAgent());
    m.put("details", e.details());
    m.put("prev_hash", prev);
    return m;
  }

  /** {@code 2026-01-02T03:04:05.123456Z}: always UTC, always six fractional digits. */
  public static String timestamp(Instant t) {
    return MICROS.format(t.truncatedTo(ChronoUnit.MICROS));
  }
}
