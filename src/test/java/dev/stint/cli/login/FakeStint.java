package dev.stint.cli.login;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Stands in for the stint server's {@code GET /v1/login} and {@code GET /v1/whoami} until the
 * server has them: answers the documented JSON shapes (or a 404 problem) on 127.0.0.1:0 and records
 * the Authorization header of every request.
 */
final class FakeStint implements AutoCloseable {
  private final HttpServer server;
  final List<String> authorizations = new CopyOnWriteArrayList<>();

  /** {@code answers}: path → JSON body; any other path answers a 404 problem. */
  FakeStint(Map<String, String> answers) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          try (exchange) {
            authorizations.add(
                String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            String body = answers.get(exchange.getRequestURI().getPath());
            int status = body == null ? 404 : 200;
            if (body == null) {
              body =
                  "{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":404,"
                      + "\"detail\":\"no such resource\",\"code\":\"not_found\",\"request_id\":\"r1\"}";
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange
                .getResponseHeaders()
                .set(
                    "Content-Type",
                    status == 200 ? "application/json" : "application/problem+json");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(bytes);
            }
          }
        });
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
