package dev.stint.demo;

import com.sun.net.httpserver.HttpServer;
import dev.stint.testing.Patience;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A loopback OAuth client's redirect target for tests: captures the first callback's query. */
public final class LoopbackCallback implements AutoCloseable {
  private final HttpServer server;
  private final CompletableFuture<Map<String, String>> received = new CompletableFuture<>();

  public LoopbackCallback() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
    server.createContext(
        "/callback",
        exchange -> {
          received.complete(HttpForms.parse(exchange.getRequestURI().getRawQuery()));
          byte[] body =
              "<!doctype html><title>client</title><p>back at the client"
                  .getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
  }

  public URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/callback");
  }

  public Map<String, String> await() throws Exception {
    return received.get(Patience.seconds(30), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
