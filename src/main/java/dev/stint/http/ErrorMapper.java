package dev.stint.http;

import dev.stint.db.Reachability;
import dev.stint.db.Unanswered;
import dev.stint.directory.ScimException;
import dev.stint.error.ErrorCode;
import dev.stint.error.RetryLater;
import dev.stint.error.StintException;
import io.vertx.core.json.DecodeException;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place failures become HTTP responses. Typed {@link StintException}s keep their code and
 * caller-safe detail; a database out of reach ({@link Reachability#unreachable}) is 503 {@code
 * unavailable} on every route, not only where a use case names it; anything else is an internal
 * error whose details stay in the log.
 */
public final class ErrorMapper {
  private static final Logger LOG = LoggerFactory.getLogger(ErrorMapper.class);

  private ErrorMapper() {}

  /** Failure handler for every route. */
  public static void handle(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure instanceof ScimException || ScimRoutes.readsOwnBody(ctx.normalizedPath())) {
      ScimRoutes.failed(ctx);
      return;
    }
    if (failure instanceof RetryLater later) {
      Problems.sendRetryLater(ctx, later);
      return;
    }
    if (failure instanceof StintException e) {
      if (HttpStatuses.of(e.code()) >= 500) {
        LOG.warn("request failed: {} ({})", e.code().code(), e.getMessage(), e.getCause());
      }
      Problems.send(ctx, e.code(), e.detail());
      return;
    }
    if (failure instanceof DecodeException) {
      Problems.send(ctx, ErrorCode.INVALID_REQUEST, "request body is not valid JSON");
      return;
    }
    int status = failure instanceof HttpException h ? h.getStatusCode() : ctx.statusCode();
    if (failure == null || failure instanceof HttpException) {
      byStatus(ctx, status);
      return;
    }
    if (Reachability.unreachable(failure)) {
      // A failover or a restart of Postgres: expected, and over by itself; the caller may retry.
      LOG.warn(
          "{} {}: the database is out of reach: {}",
          ctx.request().method(),
          ctx.request().path(),
          failure.toString());
      Problems.send(
          ctx,
          ErrorCode.UNAVAILABLE,
          unanswered(failure)
              ? "the database did not answer in time; try again shortly"
              : "temporarily unavailable; try again shortly");
      return;
    }
    LOG.error(
        "unexpected failure serving {} {}", ctx.request().method(), ctx.request().path(), failure);
    Problems.send(
        ctx, ErrorCode.INTERNAL, "internal error; quote the request id when reporting it");
  }

  private static boolean unanswered(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof Unanswered) {
        return true;
      }
    }
    return false;
  }

  /**
   * An event too large for the ingest is refused as malformed (400), as docs/api.md promises its
   * sender: EventBridge retries neither, and one status covers every body the ingest cannot take.
   */
  private static void tooLarge(RoutingContext ctx) {
    int limit = HttpLimits.bodyLimit(ctx.normalizedPath());
    String detail = "request body exceeds " + limit / 1024 + " KiB";
    Problems.send(
        ctx,
        limit == HttpLimits.MAX_EVENT_BYTES
            ? ErrorCode.INVALID_REQUEST
            : ErrorCode.PAYLOAD_TOO_LARGE,
        detail);
  }

  /** Router error handler for a bare status: no route (404), wrong method (405) and the like. */
  public static void byStatus(RoutingContext ctx, int status) {
    switch (status) {
      case 400 -> Problems.send(ctx, ErrorCode.INVALID_REQUEST, "malformed request");
      case 401 -> Problems.send(ctx, ErrorCode.UNAUTHENTICATED, "a valid bearer token is required");
      case 403 -> Problems.send(ctx, ErrorCode.FORBIDDEN, "not allowed");
      case 404 ->
          Problems.send(
              ctx,
              ErrorCode.NOT_FOUND,
              "no such resource: " + ctx.request().method() + " " + ctx.request().path());
      case 405 ->
          Problems.send(
              ctx,
              ErrorCode.METHOD_NOT_ALLOWED,
              ctx.request().method() + " is not allowed on " + ctx.request().path());
      case 413 -> tooLarge(ctx);
      case 415 ->
          Problems.send(
              ctx, ErrorCode.UNSUPPORTED_MEDIA_TYPE, "request body must be application/json");
      default -> {
        LOG.error("request failed with status {} and no cause", status);
        Problems.send(
            ctx, ErrorCode.INTERNAL, "internal error; quote the request id when reporting it");
      }
    }
  }
}
