package dev.stint.standin;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.Collections;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * The HTTP side of a local stand-in for an AWS JSON-protocol service (CloudTrail): the sibling of
 * {@link QueryServer} for services whose body is a JSON document and whose operation is named by
 * the {@code X-Amz-Target} header, on the same {@link LoopbackServer}; a handler must not block.
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

  private final Function<Call, CompletionStage<StandInReply>> handler;
  private final LoopbackServer server;

  public JsonServer(Function<Call, CompletionStage<StandInReply>> handler) {
    this.handler = handler;
    this.server = new LoopbackServer(this::answer, JsonServer::failed);
  }

  /** A JSON answer. */
  public static StandInReply json(String body) {
    return new StandInReply(200, CONTENT_TYPE, body);
  }

  /**
   * The JSON protocol's error document for {@code refusal}: its code in {@code __type}, which the
   * SDKs map to an exception, and its message.
   */
  public static StandInReply error(Refusal refusal) {
    JsonObject document = new JsonObject().put("__type", refusal.code());
    if (refusal.message() != null) {
      document.put("message", refusal.message());
    }
    return new StandInReply(refusal.status(), CONTENT_TYPE, document.encode());
  }

  /** The base URL, e.g. {@code http://127.0.0.1:PORT}. */
  public URI uri() {
    return server.uri();
  }

  /**
   * A query string that does not decode is the protocol's own refusal; any other, the handler's.
   */
  private CompletionStage<StandInReply> answer(HttpServerRequest request, String body) {
    Call call;
    try {
      call = new Call(parse(request), body);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.completedFuture(
          error(Refusal.sender(400, "SerializationException", null)));
    }
    return handler.apply(call);
  }

  private static StandInReply failed(Throwable e) {
    return error(Refusal.sender(500, "InternalFailure", "the stand-in failed: " + e));
  }

  private static QueryRequest parse(HttpServerRequest request) {
    return new QueryRequest(
        request.method().name(),
        request.path(),
        Collections.unmodifiableMap(QueryServer.form(request.query())),
        Collections.unmodifiableMap(LoopbackServer.headers(request)));
  }

  @Override
  public void close() {
    server.close();
  }
}
