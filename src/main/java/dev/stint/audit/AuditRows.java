package dev.stint.audit;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.ZoneOffset;
import java.util.Map;

/** The one mapping between {@code audit_events} rows and {@link AuditRecord}s. */
final class AuditRows {
  static final String COLUMNS = "seq, event_id, occurred_at, type, actor_issuer, actor_subject,"
      + " actor_email, request_id, grant_id, profile, cloud, target, outcome, reason,"
      + " client_address, user_agent, details, prev_hash, hash";
  static final String INSERT = "INSERT INTO audit_events (" + COLUMNS + ") VALUES ($1, $2, $3,"
      + " $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)";

  private AuditRows() {}

  static Tuple toTuple(AuditRecord r) {
    AuditEvent e = r.event();
    return Tuple.tuple()
        .addLong(r.seq()).addUUID(r.eventId())
        .addOffsetDateTime(r.occurredAt().atOffset(ZoneOffset.UTC))
        .addString(e.type()).addString(e.actor().issuer()).addString(e.actor().subject())
        .addString(e.actor().email()).addString(e.requestId()).addString(e.grantId())
        .addString(e.profile()).addString(e.cloud()).addString(e.target())
        .addString(e.outcome()).addString(e.reason()).addString(e.clientAddress())
        .addString(e.userAgent()).addJsonObject(new JsonObject(e.details()))
        .addString(r.prevHash()).addString(r.hash());
  }

  /**
   * Reads a row back. Throws IllegalArgumentException when the stored details are not canonical
   * (only a tampered row can hold them); the verifier reports that as a break.
   */
  static AuditRecord fromRow(Row row) {
    JsonObject details = row.getJsonObject("details");
    AuditEvent event = new AuditEvent(
        row.getString("type"),
        new AuditEvent.Actor(row.getString("actor_issuer"), row.getString("actor_subject"),
            row.getString("actor_email")),
        row.getString("request_id"), row.getString("grant_id"), row.getString("profile"),
        row.getString("cloud"), row.getString("target"), row.getString("outcome"),
        row.getString("reason"), row.getString("client_address"), row.getString("user_agent"),
        details == null ? Map.of() : details.getMap());
    return new AuditRecord(row.getLong("seq"), row.getUUID("event_id"),
        row.getOffsetDateTime("occurred_at").toInstant(), event, row.getString("prev_hash"),
        row.getString("hash"));
  }
}
