package dev.stint.sink;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stint.audit.AuditRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Splunk's HTTP Event Collector: one request per batch, the events as concatenated JSON objects
 * ({@code time} in epoch seconds, {@code sourcetype} {@code stint:audit}, {@code event} the audit
 * event as the API shows it), authorised by {@code Authorization: Splunk <token>}. Splunk answers
 * {@code {"text":"Success","code":0}}; anything else is a failure.
 */
public final class SplunkHecSink implements Sink {
  private final String name;
  private final URI url;
  private final String token;
  private final HttpPost http = new HttpPost();

  public SplunkHecSink(String name, URI url, String token) {
    this.name = name;
    this.url = url;
    this.token = token;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void deliver(List<AuditRecord> batch) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (AuditRecord r : batch) {
      Map<String, Object> hec = new LinkedHashMap<>();
      hec.put("time", BigDecimal.valueOf(r.occurredAt().toEpochMilli(), 3));
      hec.put("source", "stint");
      hec.put("sourcetype", "stint:audit");
      hec.put("event", r.toMap());
      body.write(AuditJson.bytes(hec));
      body.write('\n');
    }
    String answer =
        http.send(
            name,
            url,
            "application/json",
            body.toByteArray(),
            Map.of("Authorization", "Splunk " + token));
    JsonNode parsed = AuditJson.JSON.readTree(answer.isBlank() ? "{}" : answer);
    if (parsed.path("code").asInt(-1) != 0) {
      throw new IOException(
          "sink " + name + ": HEC answered code " + parsed.path("code").asText("?"));
    }
  }
}
