package dev.stint.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for the stint server's {@code /v1/credentials} and {@code /v1/console} in CLI tests:
 * answers whatever JSON (and status) the test set for a path (or for a path and exact query, which
 * wins), records each request.
 */
public final class FakeStintApi implements AutoCloseable {
  /** A received request: path, Authorization header, body and query (null when none). */
  public record Received(String path, String authorization, String body, String query) {}

  private record Canned(int status, String contentType, String body) {}

  private static final Canned NOT_FOUND =
      new Canned(
          404,
          "application/problem+json",
          "{\"code\":\"not_found\",\"detail\":\"no such path\",\"status\":404}");

  static {
    // The JDK server writes headers and body in separate packets; without TCP_NODELAY each
    // answer then waits out the client's delayed ACK. Read once per JVM, before the
    // first server is created.
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  private final HttpServer server;
  private final Map<String, Canned> answers = new ConcurrentHashMap<>();
  private final List<Received> received = new CopyOnWriteArrayList<>();

  public FakeStintApi() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          try (exchange) {
            String body =
                new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String path = exchange.getRequestURI().getPath();
            String query = exchange.getRequestURI().getRawQuery();
            received.add(
                new Received(
                    path, exchange.getRequestHeaders().getFirst("Authorization"), body, query));
            Canned canned =
                answers.getOrDefault(path + "?" + query, answers.getOrDefault(path, NOT_FOUND));
            byte[] bytes = canned.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", canned.contentType());
            exchange.sendResponseHeaders(canned.status(), bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(bytes);
            }
          }
        });
    server.start();
  }

  public URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Answers {@code path} with 200 and this JSON. */
  public FakeStintApi answer(String path, String json) {
    answers.put(path, new Canned(200, "application/json", json));
    return this;
  }

  /** Answers {@code path} with a problem+json error. */
  public FakeStintApi problem(String path, int status, String code, String detail) {
    answers.put(
        path,
        new Canned(
            status,
            "application/problem+json",
            "{\"status\":"
                + status
                + ",\"code\":\""
                + code
                + "\",\"detail\":\""
                + detail
                + "\",\"request_id\":\"req-1\"}"));
    return this;
  }

  public List<Received> received() {
    return List.copyOf(received);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
