package dev.stint.http;

import dev.stint.error.ErrorCode;
import dev.stint.error.RetryLater;
import dev.stint.log.RequestIds;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Writes {@code application/problem+json} bodies (RFC 9457) with stint's stable codes. */
public final class Problems {
  public static final String CONTENT_TYPE = "application/problem+json";

  private Problems() {}

  /** The problem document for a code and a caller-safe detail. */
  public static JsonObject body(ErrorCode code, String detail) {
    return new JsonObject()
        .put("type", "urn:stint:error:" + code.code())
        .put("title", code.title())
        .put("status", HttpStatuses.of(code))
        .put("detail", detail)
        .put("code", code.code())
        .put("request_id", RequestIds.current().orElse(null));
  }

  /**
   * A refusal to proceed now: the problem with {@code retry_after_seconds}, and the {@code
   * Retry-After} header saying the same.
   */
  public static void sendRetryLater(RoutingContext ctx, RetryLater later) {
    HttpServerResponse response = ctx.response();
    if (response.headWritten()) {
      response.reset();
      return;
    }
    response
        .setStatusCode(HttpStatuses.of(later.code()))
        .putHeader("Content-Type", CONTENT_TYPE)
        .putHeader("Retry-After", Long.toString(later.seconds()))
        .end(
            body(later.code(), later.detail())
                .put("retry_after_seconds", later.seconds())
                .encode());
  }

  /** Sends the problem unless a response was already started (then the connection is reset). */
  public static void send(RoutingContext ctx, ErrorCode code, String detail) {
    HttpServerResponse response = ctx.response();
    if (response.headWritten()) {
      response.reset();
      return;
    }
    if (code == ErrorCode.UNAUTHENTICATED) {
      response.putHeader("WWW-Authenticate", "Bearer realm=\"stint\"");
    }
    response
        .setStatusCode(HttpStatuses.of(code))
        .putHeader("Content-Type", CONTENT_TYPE)
        .end(body(code, detail).encode());
  }
}
