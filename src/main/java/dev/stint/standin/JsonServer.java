package dev.stint.standin;

import dev.stint.standin.QueryServer.Reply;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The HTTP side of a local stand-in for an AWS JSON-protocol service (CloudTrail): the sibling of
 * {@link QueryServer} for services whose body is a JSON document and whose operation is named by
 * the {@code X-Amz-Target} header. The same loopback address, port 0 and one event loop of its own,
 * for the same reasons; a handler must not block.
 */
public final class JsonServer implements AutoCloseable {
  /** The JSON protocol's content type, of requests and answers alike. */
  public static final String CONTENT_TYPE = "application/x-amz-json-1.1";

  /**
   * One call: the request's method, path, query parameters and headers (as {@link QueryRequest}, so
   * {@link SigV4} reads it as it reads any other), and its body as sent, which the signature
   * covers.
   */
  public record Call(QueryRequest request, String body) {}

  private final Vertx vertx =
      Vertx.vertx(
          new VertxOptions()
              .setEventLoopPoolSize(1)
              .setWorkerPoolSize(1)
              .setInternalBlockingPoolSize(1));

  private final Function<Call, CompletionStage<Reply>> handler;
  private final HttpServer server;

  public JsonServer(Function<Call, CompletionStage<Reply>> handler) {
    this.handler = handler;
    this.server =
        vertx
            .createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
            .requestHandler(this::handle);
    try {
      server.listen().await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      vertx.close();
      throw new IllegalStateException("the stand-in could not listen on 127.0.0.1", e);
    }
  }

  /** A JSON answer. */
  public static Reply json(String body) {
    return new Reply(200, CONTENT_TYPE, body);
  }

  /**
   * The JSON protocol's error document for {@code refusal}: its code in {@code __type}, which the
   * SDKs map to an exception, and its message.
   */
  public static Reply error(Refusal refusal) {
    JsonObject document = new JsonObject().put("__type", refusal.code());
    if (refusal.message() != null) {
      document.put("message", refusal.message());
    }
    return new Reply(refusal.status(), CONTENT_TYPE, document.encode());
  }

  /** The base URL, e.g. {@code http://127.0.0.1:PORT}. */
  public URI uri() {
    return URI.create("http://127.0.0.1:" + server.actualPort());
  }

  private void handle(HttpServerRequest request) {
    request
        .body()
        .onSuccess(
            buffer -> {
              Call call;
              try {
                call = new Call(parse(request), buffer.toString(StandardCharsets.UTF_8));
              } catch (IllegalArgumentException e) {
                send(request, error(Refusal.sender(400, "SerializationException", null)));
                return;
              }
              CompletionStage<Reply> reply;
              try {
                reply = handler.apply(call);
              } catch (RuntimeException e) {
                // A reply that cannot be made still ends the call, as a 500, not a hang.
                reply = CompletableFuture.completedFuture(failed(e));
              }
              Context context = vertx.getOrCreateContext();
              reply.whenComplete(
                  (sent, failure) ->
                      context.runOnContext(
                          v -> send(request, sent != null ? sent : failed(failure))));
            });
  }

  private static Reply failed(Throwable e) {
    return error(Refusal.sender(500, "InternalFailure", "the stand-in failed: " + e));
  }

  private static QueryRequest parse(HttpServerRequest request) {
    // Looked up the way HTTP means them: "x-amz-target" finds "X-Amz-Target".
    Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (String name : request.headers().names()) {
      headers.put(name, List.copyOf(request.headers().getAll(name)));
    }
    return new QueryRequest(
        request.method().name(),
        request.path(),
        Collections.unmodifiableMap(QueryServer.form(request.query())),
        Collections.unmodifiableMap(headers));
  }

  private static void send(HttpServerRequest request, Reply reply) {
    request
        .response()
        .setStatusCode(reply.status())
        .putHeader("Content-Type", reply.contentType())
        .putHeader("x-amzn-RequestId", QueryServer.requestId())
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
