package dev.stint.standin;

import io.vertx.core.http.HttpServerRequest;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * The HTTP side of a local AWS query-protocol stand-in (STS, IAM, sign-in): each request read into
 * a {@link QueryRequest}, its form body and query string decoded, and answered with the {@link
 * StandInReply} its handler completes with, on a {@link LoopbackServer}.
 */
public final class QueryServer implements AutoCloseable {
  /** The namespace of errors no service in particular answers. */
  public static final String FAULT_NAMESPACE = "http://webservices.amazon.com/AWSFault/2005-15-09";

  /** The query protocol's answer to a form or query string that does not URL-decode. */
  static final Refusal MALFORMED =
      Refusal.sender(404, "MalformedQueryString", "The query string contains a syntax error.");

  private final Function<QueryRequest, CompletionStage<StandInReply>> handler;
  private final String namespace;
  private final LoopbackServer server;

  public QueryServer(Function<QueryRequest, CompletionStage<StandInReply>> handler) {
    this(FAULT_NAMESPACE, handler);
  }

  /**
   * A server whose own refusals (a request that is not a form) are in {@code namespace}, the
   * service's, as the handler's are.
   */
  public QueryServer(
      String namespace, Function<QueryRequest, CompletionStage<StandInReply>> handler) {
    this.handler = handler;
    this.namespace = namespace;
    this.server = new LoopbackServer(this::answer, QueryServer::failed);
  }

  /** The base URL, e.g. {@code http://127.0.0.1:PORT}. */
  public URI uri() {
    return server.uri();
  }

  /** A form that does not decode is the query protocol's own refusal; any other, the handler's. */
  private CompletionStage<StandInReply> answer(HttpServerRequest request, String body) {
    QueryRequest parsed;
    try {
      parsed = parse(request, body);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.completedFuture(StandInReply.error(MALFORMED, namespace));
    }
    return handler.apply(parsed);
  }

  private static StandInReply failed(Throwable e) {
    return StandInReply.error(
        new Refusal(500, "Receiver", "InternalFailure", "the stand-in failed: " + e),
        FAULT_NAMESPACE);
  }

  private static QueryRequest parse(HttpServerRequest request, String body) {
    Map<String, String> params = new LinkedHashMap<>(form(request.query()));
    params.putAll(form(body));
    return new QueryRequest(
        request.method().name(),
        request.path(),
        Collections.unmodifiableMap(params),
        Collections.unmodifiableMap(LoopbackServer.headers(request)));
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

  @Override
  public void close() {
    server.close();
  }
}
