package dev.stint.sink;

import dev.stint.audit.AuditRecord;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.core.format.EventFormat;
import io.cloudevents.core.provider.EventFormatProvider;
import io.cloudevents.jackson.JsonFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/**
 * CloudEvents 1.0 over HTTP, batched content mode ({@code application/cloudevents-batch+json}):
 * each event's {@code id} is the audit event id, {@code type} {@code dev.stint.audit.<type>},
 * {@code source} the server's public URL, {@code subject} the request or grant, {@code time} when
 * it happened, the extension {@code stintseq} its seq, and {@code data} the event as the API shows
 * it.
 */
public final class CloudEventsSink implements Sink {
  static final String BATCH = "application/cloudevents-batch+json";
  private static final EventFormat FORMAT =
      EventFormatProvider.getInstance().resolveFormat(JsonFormat.CONTENT_TYPE);

  private final String name;
  private final URI url;
  private final URI source;
  private final HttpPost http = new HttpPost();

  public CloudEventsSink(String name, URI url, URI source) {
    this.name = name;
    this.url = url;
    this.source = source;
  }

  @Override
  public String name() {
    return name;
  }

  static CloudEvent event(AuditRecord r, URI source) {
    String subject = r.event().grantId() != null ? r.event().grantId() : r.event().requestId();
    return CloudEventBuilder.v1()
        .withId(r.eventId().toString())
        .withSource(source)
        .withType("dev.stint.audit." + r.event().type())
        .withTime(r.occurredAt().atOffset(ZoneOffset.UTC))
        .withSubject(subject)
        .withExtension("stintseq", r.seq())
        .withDataContentType("application/json")
        .withData(AuditJson.of(r))
        .build();
  }

  @Override
  public void deliver(List<AuditRecord> batch) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write('[');
    for (int i = 0; i < batch.size(); i++) {
      if (i > 0) {
        body.write(',');
      }
      body.write(FORMAT.serialize(event(batch.get(i), source)));
    }
    body.write(']');
    http.send(name, url, BATCH, body.toByteArray(), Map.of());
  }
}
