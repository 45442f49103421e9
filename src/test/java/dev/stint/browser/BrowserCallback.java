package dev.stint.browser;

import com.sun.net.httpserver.HttpServer;
import dev.stint.demo.DevIdp;
import dev.stint.demo.HttpForms;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A loopback OAuth client's redirect target for browser tests: captures the callback query. */
final class BrowserCallback implements AutoCloseable {
  private final HttpServer server;
  private final CompletableFuture<Map<String, String>> received = new CompletableFuture<>();

  BrowserCallback() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
    server.createContext("/callback", exchange -> {
      received.complete(HttpForms.parse(exchange.getRequestURI().getRawQuery()));
      byte[] body = "<!doctype html><title>client</title><p>back at the client".getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/callback");
  }

  /** An authorization URL for a native client with PKCE (the challenge of a fixed verifier). */
  String authorizeUrl(DevIdp idp, String clientId, String state) {
    return idp.issuer() + "/authorize?" + HttpForms.encode(Map.of("response_type", "code",
        "client_id", clientId, "redirect_uri", uri().toString(), "scope", "openid",
        "state", state, "nonce", "n-1",
        "code_challenge", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
        "code_challenge_method", "S256"));
  }

  Map<String, String> await() throws Exception {
    return received.get(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
