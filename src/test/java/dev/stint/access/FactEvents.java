package dev.stint.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.config.DatabaseUrl;
import dev.stint.testing.AuditTables;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** The facts decisions recorded in the audit table, for the fact decision tests. */
final class FactEvents {
  private FactEvents() {}

  /** The facts recorded on {@code requestId}'s latest event of {@code type}. */
  static List<JsonObject> facts(DatabaseUrl url, String requestId, String type) throws Exception {
    List<String> details =
        AuditTables.strings(
            url,
            "SELECT details::text FROM audit_events WHERE request_id = '"
                + requestId
                + "' AND type = '"
                + type
                + "' ORDER BY seq DESC LIMIT 1");
    assertThat(details).as(type + " of " + requestId).hasSize(1);
    JsonArray facts = new JsonObject(details.get(0)).getJsonArray("facts", new JsonArray());
    return facts.stream().map(JsonObject.class::cast).toList();
  }

  /** The facts recorded on {@code subject}'s latest refused request. */
  static List<JsonObject> refusalFacts(DatabaseUrl url, String subject) throws Exception {
    List<String> details =
        AuditTables.strings(
            url,
            "SELECT details::text FROM audit_events WHERE type = 'request.refused'"
                + " AND actor_subject = '"
                + subject
                + "' ORDER BY seq DESC LIMIT 1");
    assertThat(details)
        .as(
            "events of "
                + subject
                + ": "
                + AuditTables.strings(
                    url,
                    "SELECT type || ' ' || details::text FROM audit_events WHERE actor_subject = '"
                        + subject
                        + "'"))
        .hasSize(1);
    return new JsonObject(details.get(0))
        .getJsonArray("facts").stream().map(JsonObject.class::cast).toList();
  }
}
