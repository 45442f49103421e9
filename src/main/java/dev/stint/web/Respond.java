package dev.stint.web;

import dev.stint.error.StintException;
import dev.stint.http.HttpStatuses;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How pages answer: HTML with a status, a 303 after a form, and failures as an HTML page (the API's
 * problem+json is for programs). A use case's refusal keeps its caller-safe detail; anything
 * unexpected is logged and shown as a generic error.
 */
final class Respond {
  private static final Logger LOG = LoggerFactory.getLogger(Respond.class);

  private Respond() {}

  static void html(RoutingContext ctx, int status, Html page) {
    if (ctx.response().ended()) {
      return;
    }
    ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "text/html; charset=utf-8")
        .end(page.toString());
  }

  /** See other: after a form POST, the browser GETs {@code location}. */
  static void seeOther(RoutingContext ctx, String location) {
    ctx.response().setStatusCode(303).putHeader("Location", location).end();
  }

  /**
   * A rendering step for {@code Future.map}: unlike {@code onSuccess}, a failure while building the
   * page fails the future, so the visitor gets an error page instead of a hung request.
   */
  static <T> Function<T, T> then(Consumer<T> render) {
    return value -> {
      render.accept(value);
      return value;
    };
  }

  /** Runs a page handler; a thrown or failed result becomes an error page. */
  static void page(RoutingContext ctx, Function<RoutingContext, Future<?>> handler) {
    Future<?> result;
    try {
      result = handler.apply(ctx);
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    result.onFailure(e -> failure(ctx, e));
  }

  static void failure(RoutingContext ctx, Throwable e) {
    Optional<Visitor> visitor = Optional.ofNullable(ctx.get(Visitor.KEY));
    if (e instanceof StintException se) {
      int status = HttpStatuses.of(se.code());
      if (status >= 500) {
        LOG.warn("page failed: {} ({})", se.code().code(), se.getMessage());
      }
      html(ctx, status, Layout.error(visitor, status, se.code().title(), se.detail()));
      return;
    }
    if (e instanceof OidcClient.OidcFailure of) {
      LOG.warn("sign-in failed: {}", of.getMessage());
      html(ctx, 502, Layout.error(visitor, 502, "Sign-in failed", of.getMessage()));
      return;
    }
    LOG.error("unexpected failure serving {} {}", ctx.request().method(), ctx.request().path(), e);
    html(
        ctx,
        500,
        Layout.error(
            visitor,
            500,
            "Internal error",
            "Something went wrong; quote the request id "
                + ctx.response().headers().get("X-Request-Id")
                + " when reporting it."));
  }
}
