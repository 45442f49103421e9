package dev.stint.standin;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The HTTP server under a local AWS stand-in: on 127.0.0.1, port 0, so it can never be reached from
 * another machine; each request's body read whole and handed, with the request, to the stand-in's
 * answer, whose {@link StandInReply} is sent once it completes, with a request id as AWS sends one.
 *
 * <p>It runs on one event loop of its own (a Vert.x instance apart from stint's): under {@code make
 * bench} a stand-in shares the two cores with the server it stands in for, and a thread per
 * exchange cost more CPU than stint's own work on the call. So an answer must not block; a reply
 * that should come late completes late, and no thread waits for it.
 */
final class LoopbackServer implements AutoCloseable {
  /** A stand-in's answer to one request and its body. */
  @FunctionalInterface
  interface Answer {
    CompletionStage<StandInReply> answer(HttpServerRequest request, String body);
  }

  private final Vertx vertx =
      Vertx.vertx(
          new VertxOptions()
              .setEventLoopPoolSize(1)
              .setWorkerPoolSize(1)
              .setInternalBlockingPoolSize(1));

  private final Answer answer;
  private final Function<Throwable, StandInReply> failed;
  private final HttpServer server;

  /** {@code failed}: the reply to a request whose answer could not be made (a 500), not a hang. */
  LoopbackServer(Answer answer, Function<Throwable, StandInReply> failed) {
    this.answer = answer;
    this.failed = failed;
    this.server = listen(vertx, this::handle);
  }

  /**
   * An HTTP server of {@code vertx} on 127.0.0.1, a port of the system's choosing, serving {@code
   * handler}; {@code vertx} is closed if it cannot listen.
   */
  static HttpServer listen(Vertx vertx, Handler<HttpServerRequest> handler) {
    HttpServer server =
        vertx
            .createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
            .requestHandler(handler);
    try {
      server.listen().await(30, TimeUnit.SECONDS);
      return server;
    } catch (Exception e) {
      vertx.close();
      throw new IllegalStateException("the stand-in could not listen on 127.0.0.1", e);
    }
  }

  /** The base URL, e.g. {@code http://127.0.0.1:PORT}. */
  URI uri() {
    return URI.create("http://127.0.0.1:" + server.actualPort());
  }

  /**
   * The request's headers, looked up the way HTTP means them: "authorization" finds
   * "Authorization".
   */
  static Map<String, List<String>> headers(HttpServerRequest request) {
    Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (String name : request.headers().names()) {
      headers.put(name, List.copyOf(request.headers().getAll(name)));
    }
    return headers;
  }

  private void handle(HttpServerRequest request) {
    request
        .body()
        .onSuccess(
            buffer -> {
              CompletionStage<StandInReply> reply;
              try {
                reply = answer.answer(request, buffer.toString(StandardCharsets.UTF_8));
              } catch (RuntimeException e) {
                reply = CompletableFuture.completedFuture(failed.apply(e));
              }
              Context context = vertx.getOrCreateContext();
              reply.whenComplete(
                  (sent, failure) ->
                      context.runOnContext(
                          v -> send(request, sent != null ? sent : failed.apply(failure))));
            });
  }

  private static void send(HttpServerRequest request, StandInReply reply) {
    request
        .response()
        .setStatusCode(reply.status())
        .putHeader("Content-Type", reply.contentType())
        .putHeader("x-amzn-RequestId", StandInReply.requestId())
        .end(reply.body());
  }

  @Override
  public void close() {
    try {
      vertx.close().await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("the stand-in did not stop", e);
    }
  }
}
