package dev.stint.audit;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The one mapping between {@code audit_events} rows and {@link AuditRecord}s. */
final class AuditRows {
  static final String COLUMNS =
      "seq, event_id, occurred_at, type, actor_issuer, actor_subject,"
          + " actor_email, request_id, grant_id, profile, cloud, target, outcome, reason,"
          + " client_address, user_agent, details, prev_hash, hash";

  /**
   * A whole batch as one statement, one array per column: the insert trigger that checks the batch
   * continues the chain head (V17) then runs once per batch, not once per event.
   */
  static final String INSERT_ALL =
      "INSERT INTO audit_events ("
          + COLUMNS
          + ") SELECT * FROM"
          + " unnest($1::bigint[], $2::uuid[], $3::timestamptz[], $4::text[], $5::text[],"
          + " $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[],"
          + " $13::text[], $14::text[], $15::text[], $16::text[], $17::jsonb[], $18::text[],"
          + " $19::text[])";

  private AuditRows() {}

  /** The parameters of {@link #INSERT_ALL}: the records' columns, in order, as arrays. */
  static Tuple toArrays(List<AuditRecord> records) {
    int n = records.size();
    Long[] seq = new Long[n];
    UUID[] id = new UUID[n];
    OffsetDateTime[] at = new OffsetDateTime[n];
    String[][] text = new String[15][n];
    JsonObject[] details = new JsonObject[n];
    for (int i = 0; i < n; i++) {
      AuditRecord r = records.get(i);
      AuditEvent e = r.event();
      seq[i] = r.seq();
      id[i] = r.eventId();
      at[i] = r.occurredAt().atOffset(ZoneOffset.UTC);
      String[] row = {
        e.type(),
        e.actor().issuer(),
        e.actor().subject(),
        e.actor().email(),
        e.requestId(),
        e.grantId(),
        e.profile(),
        e.cloud(),
        e.target(),
        e.outcome(),
        e.reason(),
        e.clientAddress(),
        e.userAgent(),
        r.prevHash(),
        r.hash()
      };
      for (int c = 0; c < row.length; c++) {
        text[c][i] = row[c];
      }
      details[i] = new JsonObject(e.details());
    }
    Tuple t = Tuple.tuple().addArrayOfLong(seq).addArrayOfUUID(id).addArrayOfOffsetDateTime(at);
    for (int c = 0; c < 13; c++) {
      t.addArrayOfString(text[c]);
    }
    return t.addArrayOfJsonObject(details).addArrayOfString(text[13]).addArrayOfString(text[14]);
  }

  /**
   * Reads a row back. Throws IllegalArgumentException when the stored details are not canonical
   * (only a tampered row can hold them); the verifier reports that as a break.
   */
  static AuditRecord fromRow(Row row) {
    JsonObject details = row.getJsonObject("details");
    AuditEvent event =
        new AuditEvent(
            row.getString("type"),
            new AuditEvent.Actor(
                row.getString("actor_issuer"),
                row.getString("actor_subject"),
                row.getString("actor_email")),
            row.getString("request_id"),
            row.getString("grant_id"),
            row.getString("profile"),
            row.getString("cloud"),
            row.getString("target"),
            row.getString("outcome"),
            row.getString("reason"),
            row.getString("client_address"),
            row.getString("user_agent"),
            details == null ? Map.of() : details.getMap());
    return new AuditRecord(
        row.getLong("seq"),
        row.getUUID("event_id"),
        row.getOffsetDateTime("occurred_at").toInstant(),
        event,
        row.getString("prev_hash"),
        row.getString("hash"));
  }
}
