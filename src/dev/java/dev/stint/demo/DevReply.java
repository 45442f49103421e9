package dev.stint.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One answer of the demo's own development servers (the dev IdP, the dev CI issuer); {@code
 * location} set makes it a redirect. Tokens pass through these answers, so none is cached or
 * framed.
 */
record DevReply(int status, String contentType, String body, String location) {
  private static final ObjectMapper JSON = new ObjectMapper();

  static DevReply json(int status, Object value) {
    try {
      return new DevReply(status, "application/json", JSON.writeValueAsString(value), null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static DevReply text(int status, String text) {
    return new DevReply(status, "text/plain; charset=utf-8", text + "\n", null);
  }

  static DevReply page(int status, String html) {
    return new DevReply(status, "text/html; charset=utf-8", html, null);
  }

  static DevReply redirect(String target, Map<String, String> query) {
    return new DevReply(
        302,
        "text/plain",
        "",
        target + (target.contains("?") ? "&" : "?") + HttpForms.encode(query));
  }

  void send(HttpExchange exchange) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    var headers = exchange.getResponseHeaders();
    headers.set("Content-Type", contentType);
    // Codes and tokens pass through here: nothing may be cached or framed.
    headers.set("Cache-Control", "no-store");
    headers.set("X-Frame-Options", "DENY");
    headers.set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
    headers.set("Referrer-Policy", "no-referrer");
    if (location != null) {
      headers.set("Location", location);
    }
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
