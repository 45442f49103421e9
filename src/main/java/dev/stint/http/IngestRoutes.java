package dev.stint.http;

import dev.stint.activity.ActivityIngest;
import dev.stint.error.ErrorCode;
import dev.stint.error.StintException;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.Optional;

/**
 * {@code POST /v1/ingest/cloudtrail}: CloudTrail events pushed by an EventBridge API destination,
 * one per call. An open route (EventBridge carries no stint token), registered on the main router
 * ahead of the {@link Api} only when {@code activity.ingest_token} is set, and authenticated by
 * that token instead, checked from the headers before the body is read. Its body limit is {@link
 * HttpLimits#MAX_EVENT_BYTES}, EventBridge's own, and a larger body is a 400 like a malformed one:
 * EventBridge retries only 5xx and 429, and sending it again would not make it fit.
 */
public final class IngestRoutes implements RouteModule {
  public static final String PATH = "/v1/ingest/cloudtrail";
  private final ActivityIngest ingest;

  public IngestRoutes(ActivityIngest ingest) {
    this.ingest = ingest;
  }

  /**
   * The token first, from the headers alone: only then is the body read, up to its limit. (The body
   * handler is called from a handler of its own: Vert.x refuses one placed after another.)
   */
  @Override
  public void register(Router router) {
    BodyHandler body = BodyHandler.create(false).setBodyLimit(HttpLimits.MAX_EVENT_BYTES);
    router.post(PATH).handler(this::admit).handler(body::handle).handler(this::event);
  }

  private void admit(RoutingContext ctx) {
    if (ingest.admits(Optional.ofNullable(ctx.request().getHeader("Authorization")))) {
      ctx.next();
    } else {
      ctx.fail(new StintException(ErrorCode.UNAUTHENTICATED, "the ingest token is required"));
    }
  }

  private void event(RoutingContext ctx) {
    byte[] body = ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
    ingest
        .accept(Optional.ofNullable(ctx.request().getHeader("Authorization")), body)
        .onSuccess(
            outcome -> {
              switch (outcome) {
                case KEPT, UNMATCHED, MISMATCHED -> ctx.response().setStatusCode(204).end();
                case UNAUTHENTICATED ->
                    ctx.fail(
                        new StintException(
                            ErrorCode.UNAUTHENTICATED, "the ingest token is required"));
                case MALFORMED ->
                    ctx.fail(
                        new StintException(
                            ErrorCode.INVALID_REQUEST,
                            "not one CloudTrail event as EventBridge delivers it"));
              }
            })
        .onFailure(ctx::fail);
  }
}
