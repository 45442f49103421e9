package dev.stint.standin;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.ServerWebSocketHandshake;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The Socket Mode side of a local Slack, from Slack's public reference: {@code
 * apps.connections.open} hands out a WebSocket address whose ticket opens one connection, once;
 * each connection is greeted with {@code hello}; a click is sent as an {@code interactive} envelope
 * to one of the app's connections, in turn, and counts as delivered only when {@code
 * {"envelope_id": …}} comes back within three seconds; {@code disconnect} asks a client to move to
 * a new connection. Listens on 127.0.0.1, port 0, on an event loop of its own.
 */
public final class SlackSocketServer implements AutoCloseable {
  /** How long Slack waits for an envelope's acknowledgement. */
  public static final Duration ACK_WITHIN = Duration.ofSeconds(3);

  /** The app the stand-in's connections belong to. */
  public static final String APP_ID = "A0STANDIN";

  /** One envelope sent: where to, and when (if ever) it was acknowledged in time. */
  public record Delivery(String envelopeId, int connection, boolean acknowledged) {}

  private final Vertx vertx =
      Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
  private final HttpServer server;
  private Context context;

  // Read and written on the server's event loop only.
  private final Set<String> tickets = new HashSet<>();
  private final List<ServerWebSocket> open = new ArrayList<>();
  private final Map<String, CompletableFuture<Boolean>> awaiting = new HashMap<>();
  private int accepted;
  private int turn;

  public SlackSocketServer() {
    this.server =
        vertx
            .createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
            .requestHandler(r -> r.response().setStatusCode(404).end())
            .webSocketHandshakeHandler(this::handshake);
    try {
      server.listen().await(30, TimeUnit.SECONDS);
      context = vertx.getOrCreateContext();
    } catch (Exception e) {
      vertx.close();
      throw new IllegalStateException("the Socket Mode stand-in could not listen", e);
    }
  }

  /**
   * What {@code apps.connections.open} answers: a fresh address, good for one connection.
   * Thread-safe.
   */
  public URI issue() {
    String ticket = UUID.randomUUID().toString();
    on(() -> tickets.add(ticket)).join();
    return URI.create(
        "ws://127.0.0.1:" + server.actualPort() + "/link/?ticket=" + ticket + "&app_id=" + APP_ID);
  }

  /** A ticket that is unknown or used is refused as Slack refuses it: no WebSocket. */
  private void handshake(ServerWebSocketHandshake h) {
    String query = h.query() == null ? "" : h.query();
    String ticket = query.replaceAll("^(?:.*&)?ticket=([^&]*).*$", "$1");
    if (!"/link/".equals(h.path()) || !query.contains("ticket=") || !tickets.remove(ticket)) {
      h.reject(401);
      return;
    }
    h.accept().onSuccess(this::greet);
  }

  private void greet(ServerWebSocket ws) {
    accepted++;
    open.add(ws);
    ws.textMessageHandler(this::answered);
    ws.closeHandler(v -> open.remove(ws));
    ws.writeTextMessage(
        new JsonObject()
            .put("type", "hello")
            .put("num_connections", open.size())
            .put(
                "debug_info",
                new JsonObject()
                    .put("host", "applink-standin")
                    .put("build_number", 1)
                    .put("approximate_connection_time", 18060))
            .put("connection_info", new JsonObject().put("app_id", APP_ID))
            .encode());
  }

  /** An acknowledgement counts only for an envelope still waiting, on time. */
  private void answered(String text) {
    String id;
    try {
      id = new JsonObject(text).getString("envelope_id", "");
    } catch (RuntimeException e) {
      return;
    }
    CompletableFuture<Boolean> waiting = awaiting.remove(id);
    if (waiting != null) {
      waiting.complete(true);
    }
  }

  /**
   * Sends {@code payload} (a {@code block_actions} object) as a new envelope to the next connection
   * in turn; completes with the delivery, or empty when no connection is open.
   */
  public CompletableFuture<Optional<Delivery>> deliver(JsonObject payload) {
    return deliver(UUID.randomUUID().toString(), payload, Optional.empty());
  }

  /**
   * Sends envelope {@code envelopeId} again, as Slack may, to connection {@code connection} (in the
   * order they opened among those still open), or the next in turn.
   */
  public CompletableFuture<Optional<Delivery>> deliver(
      String envelopeId, JsonObject payload, Optional<Integer> connection) {
    CompletableFuture<Optional<Delivery>> out = new CompletableFuture<>();
    context.runOnContext(
        v -> {
          if (open.isEmpty()) {
            out.complete(Optional.empty());
            return;
          }
          int index = connection.orElse(turn++ % open.size()) % open.size();
          CompletableFuture<Boolean> ack = new CompletableFuture<>();
          awaiting.put(envelopeId, ack);
          vertx.setTimer(
              ACK_WITHIN.toMillis(),
              t -> {
                awaiting.remove(envelopeId, ack);
                ack.complete(false);
              });
          open.get(index)
              .writeTextMessage(
                  new JsonObject()
                      .put("envelope_id", envelopeId)
                      .put("payload", payload)
                      .put("type", "interactive")
                      .put("accepts_response_payload", false)
                      .encode());
          ack.thenAccept(
              acked -> out.complete(Optional.of(new Delivery(envelopeId, index, acked))));
        });
    return out;
  }

  /** Asks every open connection to move on, as Slack does before it refreshes one. */
  public CompletableFuture<Void> askToReconnect() {
    return on(
        () ->
            open.forEach(
                ws ->
                    ws.writeTextMessage(
                        new JsonObject()
                            .put("type", "disconnect")
                            .put("reason", "refresh_requested")
                            .put("debug_info", new JsonObject().put("host", "applink-standin"))
                            .encode())));
  }

  /** Drops every connection without a word, as a network failure would. */
  public CompletableFuture<Void> drop() {
    return on(() -> List.copyOf(open).forEach(ServerWebSocket::close));
  }

  /** The connections open now. */
  public int connections() {
    return on(() -> {}).thenApply(v -> open.size()).join();
  }

  /** The connections ever accepted: one more with each reconnect. */
  public int accepted() {
    return on(() -> {}).thenApply(v -> accepted).join();
  }

  private CompletableFuture<Void> on(Runnable action) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    context.runOnContext(
        v -> {
          action.run();
          done.complete(null);
        });
    return done;
  }

  @Override
  public void close() {
    try {
      vertx.close().await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("the Socket Mode stand-in did not stop", e);
    }
  }
}
