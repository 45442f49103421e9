package dev.stint.http;

import dev.stint.finding.Finding;
import dev.stint.finding.FindingPage;
import dev.stint.finding.rules.EventRef;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

/** Findings on the wire (docs/api.md, "Findings"). */
final class FindingJson {
  private FindingJson() {}

  static JsonObject list(List<Finding> findings) {
    return new JsonObject().put("findings", array(findings));
  }

  static JsonObject page(FindingPage page, Instant since) {
    return new JsonObject()
        .put("since", since.toString())
        .put("findings", array(page.findings()))
        .put("truncated", page.truncated());
  }

  static JsonObject finding(Finding f) {
    JsonObject out =
        new JsonObject()
            .put("id", f.id())
            .put("rule", f.rule().id())
            .put("severity", f.severity().code())
            .put("mode", f.mode().code())
            .put("request_id", f.origin().requestId())
            .put("grant_id", f.origin().grantId());
    f.origin().leaseId().ifPresent(l -> out.put("lease_id", l));
    out.put(
            "person",
            new JsonObject()
                .put("issuer", f.origin().holder().issuer())
                .put("subject", f.origin().holder().subject()))
        .put("profile", f.origin().profile())
        .put("credential_id", f.origin().credentialId())
        .put("events", events(f.events()))
        .put("why", f.why())
        .put("raised_at", f.raisedAt().toString())
        .put("action", f.action().code());
    f.actedAt().ifPresent(t -> out.put("acted_at", t.toString()));
    return out;
  }

  private static JsonArray array(List<Finding> findings) {
    JsonArray out = new JsonArray();
    findings.forEach(f -> out.add(finding(f)));
    return out;
  }

  private static JsonArray events(List<EventRef> events) {
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
}
