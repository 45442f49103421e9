package dev.stint.sink;

import dev.stint.audit.AuditRecord;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;

/** OCSF events (see {@link OcsfMapping}) POSTed as one JSON array per batch. */
public final class OcsfSink implements Sink {
  private final String name;
  private final URI url;
  private final HttpPost http = new HttpPost();

  public OcsfSink(String name, URI url) {
    this.name = name;
    this.url = url;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void deliver(List<AuditRecord> batch) throws IOException {
    http.send(
        name,
        url,
        "application/json",
        AuditJson.bytes(batch.stream().map(OcsfMapping::map).toList()),
        Map.of());
  }
}
