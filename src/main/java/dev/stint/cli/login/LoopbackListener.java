package dev.stint.cli.login;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.stint.cli.CliException;
import dev.stint.common.Durations;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The redirect target of the browser login: {@code http://127.0.0.1:PORT/callback} on a port the OS
 * picks (RFC 8252 §7.3). It takes the first callback, answers the browser with a short page and
 * then stops listening.
 */
final class LoopbackListener implements AutoCloseable {
  private final HttpServer server;
  private final CompletableFuture<Map<String, String>> callback = new CompletableFuture<>();
  private final AtomicBoolean taken = new AtomicBoolean();

  private final String state;

  /** {@code state}: only to pick the page the browser sees; the caller checks it again. */
  LoopbackListener(String state) {
    this.state = state;
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new CliException(
          CliException.FAILED,
          "cannot listen on 127.0.0.1 for the login" + " callback: " + e.getMessage());
    }
    server.createContext("/callback", this::handle);
    server.start();
  }

  URI redirectUri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/callback");
  }

  /** The callback's query parameters; fails when none arrives within {@code timeout}. */
  Map<String, String> await(Duration timeout) {
    try {
      return callback.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new CliException(
          CliException.REFUSED,
          "no sign-in within " + Durations.format(timeout) + ": run 'stint login' again");
    } catch (ExecutionException e) {
      throw new CliException(CliException.FAILED, "login callback failed");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(CliException.FAILED, "interrupted");
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    Map<String, String> params = query(exchange.getRequestURI().getRawQuery());
    boolean first = taken.compareAndSet(false, true);
    boolean ok =
        first
            && state.equals(params.get("state"))
            && params.containsKey("code")
            && !params.containsKey("error");
    try (exchange) {
      byte[] page =
          page(
              ok
                  ? "Signed in to stint. You can close this tab."
                  : "Sign-in did not complete. Return to the terminal for details.");
      exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
      exchange.getResponseHeaders().set("Cache-Control", "no-store");
      exchange.sendResponseHeaders(ok ? 200 : 400, page.length);
      try (OutputStream body = exchange.getResponseBody()) {
        body.write(page);
      }
    } finally {
      // Only after the page is sent: completing wakes the CLI, which then stops this server.
      if (first) {
        callback.complete(params);
      }
    }
  }

  private static byte[] page(String message) {
    return ("<!doctype html><meta charset=\"utf-8\"><title>stint</title><p>" + message + "</p>")
        .getBytes(StandardCharsets.UTF_8);
  }

  static Map<String, String> query(String raw) {
    Map<String, String> params = new HashMap<>();
    if (raw == null) {
      return params;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value =
          eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      params.putIfAbsent(key, value);
    }
    return params;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
