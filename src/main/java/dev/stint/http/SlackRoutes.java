package dev.stint.http;

import dev.stint.error.ErrorCode;
import dev.stint.error.StintException;
import dev.stint.notify.slack.SlackInteractions;
import dev.stint.notify.slack.SlackSignature;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /v1/slack/interactions}: Slack's button clicks. An open route (Slack carries no stint
 * token): registered on the main router ahead of the {@link Api}, like {@code /v1/login}, and
 * authenticated by Slack's signature instead, checked by the use case before anything else.
 */
public final class SlackRoutes implements RouteModule {
  public static final String PATH = "/v1/slack/interactions";
  private final SlackInteractions interactions;

  public SlackRoutes(SlackInteractions interactions) {
    this.interactions = interactions;
  }

  @Override
  public void register(Router router) {
    router.post(PATH).handler(this::interaction);
  }

  private void interaction(RoutingContext ctx) {
    byte[] body = ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
    interactions
        .handle(
            ctx.request().getHeader(SlackSignature.TIMESTAMP_HEADER),
            ctx.request().getHeader(SlackSignature.SIGNATURE_HEADER),
            body)
        .onSuccess(
            verdict -> {
              switch (verdict) {
                case DONE -> ctx.response().setStatusCode(200).end();
                case UNVERIFIED ->
                    ctx.fail(new StintException(ErrorCode.UNAUTHENTICATED, "not signed by Slack"));
                case MALFORMED ->
                    ctx.fail(
                        new StintException(
                            ErrorCode.INVALID_REQUEST, "not a Slack block_actions payload"));
              }
            })
        .onFailure(ctx::fail);
  }
}
