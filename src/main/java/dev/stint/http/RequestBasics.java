package dev.stint.http;

import dev.stint.log.RequestIds;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First handler of every request: binds the request id (echoed as {@code X-Request-Id}), sets the
 * headers every stint response carries, and writes one access-log line when it ends.
 */
public final class RequestBasics {
  private static final Logger ACCESS = LoggerFactory.getLogger("stint.access");
  public static final String REQUEST_ID = "X-Request-Id";

  private RequestBasics() {}

  public static void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    String id = RequestIds.acceptOrCreate(request.getHeader(REQUEST_ID));
    RequestIds.bind(id);
    long started = System.nanoTime();
    ctx.response()
        .putHeader(REQUEST_ID, id)
        // Responses may carry credentials: no cache, proxy or browser may keep them.
        .putHeader("Cache-Control", "no-store")
        .putHeader("X-Content-Type-Options", "nosniff");
    ctx.addEndHandler(
        done ->
            ACCESS
                .atInfo()
                .addKeyValue("method", request.method().name())
                .addKeyValue("path", request.path())
                .addKeyValue("status", ctx.response().getStatusCode())
                .addKeyValue("ms", (System.nanoTime() - started) / 1_000_000)
                .log("{} {} {}", request.method(), request.path(), ctx.response().getStatusCode()));
    ctx.next();
  }
}
