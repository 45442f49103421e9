package dev.stint.finding;

import dev.stint.common.Timestamps;
import dev.stint.finding.rules.EventRef;
import dev.stint.finding.rules.Origin;
import dev.stint.policy.FindingMode;
import dev.stint.policy.FindingRule;
import dev.stint.policy.FindingSeverity;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** A finding as a row of {@code findings}, and back. */
final class FindingRows {
  static final String COLUMNS =
      "id, rule, severity, mode, request_id, grant_id, lease_id, credential_id, person_issuer,"
          + " person_subject, profile, events, why, raised_at, action, acted_at";

  static final String INSERT =
      "INSERT INTO findings ("
          + COLUMNS
          + ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)";

  private FindingRows() {}

  static Tuple tuple(Finding f) {
    Origin o = f.origin();
    return Tuple.tuple()
        .addString(f.id())
        .addString(f.rule().id())
        .addString(f.severity().code())
        .addString(f.mode().code())
        .addString(o.requestId())
        .addString(o.grantId())
        .addString(o.leaseId().orElse(null))
        .addString(o.credentialId())
        .addString(o.holder().issuer())
        .addString(o.holder().subject())
        .addString(o.profile())
        .addValue(events(f.events()))
        .addString(f.why())
        .addOffsetDateTime(Timestamps.utc(f.raisedAt()))
        .addString(f.action().code())
        .addOffsetDateTime(f.actedAt().map(Timestamps::utc).orElse(null));
  }

  static Finding finding(Row r) {
    return new Finding(
        r.getString("id"),
        FindingRule.byId(r.getString("rule")).orElseThrow(),
        FindingSeverity.valueOf(r.getString("severity").toUpperCase(Locale.ROOT)),
        FindingMode.valueOf(r.getString("mode").toUpperCase(Locale.ROOT)),
        new Origin(
            r.getString("credential_id"),
            r.getString("request_id"),
            r.getString("grant_id"),
            Optional.ofNullable(r.getString("lease_id")),
            new Origin.Holder(r.getString("person_issuer"), r.getString("person_subject")),
            r.getString("profile")),
        events(r.getValue("events")),
        r.getString("why"),
        r.getOffsetDateTime("raised_at").toInstant(),
        Finding.Action.of(r.getString("action")),
        Optional.ofNullable(r.getOffsetDateTime("acted_at")).map(OffsetDateTime::toInstant));
  }

  static List<Finding> findings(Iterable<Row> rows) {
    List<Finding> out = new ArrayList<>();
    rows.forEach(r -> out.add(finding(r)));
    return out;
  }

  /** The calls a finding names, as {@code [{event_id, event_name, event_source, time}]}. */
  static JsonArray events(List<EventRef> events) {
    JsonArray out = new JsonArray();
    events.forEach(
        e ->
            out.add(
                new JsonObject()
                    .put("event_id", e.eventId())
                    .put("event_name", e.eventName())
                    .put("event_source", e.eventSource())
                    .put("time", e.time().toString())));
    return out;
  }

  private static List<EventRef> events(Object stored) {
    JsonArray array = stored instanceof JsonArray a ? a : new JsonArray();
    List<EventRef> out = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      JsonObject e = array.getJsonObject(i);
      out.add(
          new EventRef(
              e.getString("event_id"),
              e.getString("event_name"),
              e.getString("event_source"),
              Instant.parse(e.getString("time"))));
    }
    return out;
  }
}
