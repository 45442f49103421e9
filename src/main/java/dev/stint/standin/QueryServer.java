package dev.stint.standin;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The HTTP side of a local AWS query-protocol stand-in: a server on 127.0.0.1, port 0, so it can
 * never be reached from another machine, that reads each request into a {@link QueryRequest} and
 * sends the {@link Reply} its handler completes with.
 *
 * <p>It runs on one event loop of its own (a Vert.x instance apart from stint's): under {@code make
 * bench} a stand-in shares the two cores with the server it stands in for, and a thread per
 * exchange cost more CPU than stint's own work on the call. So a handler must not block; a reply
 * that should come late completes late, and no thread waits for it.
 */
public final class QueryServer implements AutoCloseable {
  /** An answer: status, content type and body. */
  public record Reply(int status, String contentType, String body) {
    public static Reply xml(String body) {
      return new Reply(200, "text/xml", body);
    }

    /** AWS's error document for {@code refusal}, in the service's namespace. */
    public static Reply error(Refusal refusal, String namespace) {
      return new Reply(refusal.status(), "text/xml", refusal.xml(namespace, requestId()));
    }
  }

  private final Vertx vertx =
      Vertx.vertx(
          new VertxOptions()
              .setEventLoopPoolSize(1)
              .setWorkerPoolSize(1)
              .setInternalBlockingPoolSize(1));

  /** The namespace of errors no service in particular answers. */
  public static final String FAULT_NAMESPACE = "http://webservices.amazon.com/AWSFault/2005-15-09";

  /** The query protocol's answer to a form or query string that does not URL-decode. */
  static final Refusal MALFORMED =
      Refusal.sender(404, "MalformedQueryString", "The query string contains a syntax error.");

  private final Function<QueryRequest, CompletionStage<Reply>> handler;
  private final String namespace;
  private final HttpServer server;

  public QueryServer(Function<QueryRequest, CompletionStage<Reply>> handler) {
    this(FAULT_NAMESPACE, handler);
  }

  /**
   * A server whose own refusals (a request that is not a form) are in {@code namespace}, the
   * service's, as the handler's are.
   */
  public QueryServer(String namespace, Function<QueryRequest, CompletionStage<Reply>> handler) {
    this.handler = handler;
    this.namespace = namespace;
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

  /** The base URL, e.g. {@code http://127.0.0.1:PORT}. */
  public URI uri() {
    return URI.create("http://127.0.0.1:" + server.actualPort());
  }

  /** A fresh request id, as AWS puts in every answer. */
  public static String requestId() {
    return UUID.randomUUID().toString();
  }

  private void handle(HttpServerRequest request) {
    request
        .body()
        .onSuccess(
            buffer -> {
              CompletionStage<Reply> reply;
              QueryRequest parsed;
              try {
                parsed = parse(request, buffer.toString(StandardCharsets.UTF_8));
              } catch (IllegalArgumentException e) {
                send(request, Reply.error(MALFORMED, namespace));
                return;
              }
              try {
                reply = handler.apply(parsed);
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
    return Reply.error(
        new Refusal(500, "Receiver", "InternalFailure", "the stand-in failed: " + e),
        FAULT_NAMESPACE);
  }

  private static QueryRequest parse(HttpServerRequest request, String body) {
    Map<String, String> params = new LinkedHashMap<>(form(request.query()));
    params.putAll(form(body));
    // Looked up the way HTTP means them: "authorization" finds "Authorization".
    Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (String name : request.headers().names()) {
      headers.put(name, List.copyOf(request.headers().getAll(name)));
    }
    return new QueryRequest(
        request.method().name(),
        request.path(),
        Collections.unmodifiableMap(params),
        Collections.unmodifiableMap(headers));
  }

  /**
   * {@code a=b&c=d}, URL-decoded; of a repeated name the first value counts, as at AWS.
   *
   * @throws IllegalArgumentException when an escape is broken ({@code %zz}, a trailing {@code %})
   */
  static Map<String, String> form(String raw) {
    Map<String, String> out = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      out.putIfAbsent(
          URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
          URLDecoder.decode(eq < 0 ? "" : pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return out;
  }

  private static void send(HttpServerRequest request, Reply reply) {
    request
        .response()
        .setStatusCode(reply.status())
        .putHeader("Content-Type", reply.contentType())
        .putHeader("x-amzn-RequestId", requestId())
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
