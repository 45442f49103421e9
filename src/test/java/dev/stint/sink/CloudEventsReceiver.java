package dev.stint.sink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.format.EventFormat;
import io.cloudevents.core.provider.EventFormatProvider;
import io.cloudevents.jackson.JsonFormat;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A CloudEvents HTTP receiver on 127.0.0.1 (port 0, or a given one to come back on): takes only a
 * POST of {@code application/cloudevents-batch+json} whose every element the CloudEvents SDK reads
 * as a 1.0 event (400 otherwise), and records them in arrival order. {@link #loseAnswers} records a
 * batch but answers 500, as a receiver whose answer is lost.
 */
final class CloudEventsReceiver implements AutoCloseable {
  private static final EventFormat FORMAT =
      EventFormatProvider.getInstance().resolveFormat(JsonFormat.CONTENT_TYPE);
  private static final ObjectMapper JSON = new ObjectMapper();

  final List<CloudEvent> events;
  final AtomicInteger loseAnswers = new AtomicInteger();
  private final HttpServer server;

  private CloudEventsReceiver(HttpServer server, List<CloudEvent> events) {
    this.server = server;
    this.events = events;
  }

  static CloudEventsReceiver start(int port, List<CloudEvent> into) throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 0);
    CloudEventsReceiver r = new CloudEventsReceiver(server, into);
    server.createContext(
        "/events",
        ex -> {
          try (ex) {
            if (!"POST".equals(ex.getRequestMethod())
                || !CloudEventsSink.BATCH.equals(ex.getRequestHeaders().getFirst("Content-Type"))) {
              ex.sendResponseHeaders(415, -1);
              return;
            }
            List<CloudEvent> batch = new ArrayList<>();
            try {
              for (JsonNode element : JSON.readTree(ex.getRequestBody().readAllBytes())) {
                CloudEvent e = FORMAT.deserialize(JSON.writeValueAsBytes(element));
                if (!"1.0".equals(e.getSpecVersion().toString())) {
                  throw new IllegalArgumentException("not CloudEvents 1.0");
                }
                batch.add(e);
              }
            } catch (RuntimeException e) {
              ex.sendResponseHeaders(400, -1);
              return;
            }
            into.addAll(batch);
            ex.sendResponseHeaders(
                r.loseAnswers.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? 500 : 202, -1);
          }
        });
    server.start();
    return r;
  }

  int port() {
    return server.getAddress().getPort();
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + port() + "/events");
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
