package dev.stint.reliability;

import com.sun.net.httpserver.HttpServer;
import dev.stint.notify.WebhookNotifier;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A webhook receiver on 127.0.0.1 port 0 that refuses every delivery (503) until it is opened, then
 * takes them and keeps their delivery ids: outbox rows written before a failover stay undelivered
 * across it, and what arrives afterwards shows the outbox carried on.
 */
final class ClosedWebhook implements AutoCloseable {
  private final HttpServer server;
  private final Set<Long> refused = ConcurrentHashMap.newKeySet();
  private final Set<Long> taken = ConcurrentHashMap.newKeySet();
  private volatile boolean open;

  ClosedWebhook() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/notify",
        exchange -> {
          try (exchange) {
            exchange.getRequestBody().readAllBytes();
            long id =
                Long.parseLong(
                    exchange.getRequestHeaders().getFirst(WebhookNotifier.DELIVERY_HEADER));
            (open ? taken : refused).add(id);
            exchange.sendResponseHeaders(open ? 204 : 503, -1);
          }
        });
    server.start();
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/notify");
  }

  /** The {@code notify.webhooks} setting naming this receiver. */
  String config() {
    return "notify:\n  webhooks:\n    - url: " + url() + "\n      secret: 0123456789abcdef0123\n";
  }

  void open() {
    open = true;
  }

  /** Delivery ids (outbox row ids) refused while closed. */
  Set<Long> refused() {
    return Set.copyOf(refused);
  }

  /** Delivery ids taken once open. */
  Set<Long> taken() {
    return Set.copyOf(taken);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
