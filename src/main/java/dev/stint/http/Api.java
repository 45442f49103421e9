package dev.stint.http;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * The authenticated API: a sub-router mounted at {@code /v1} whose first handler is the
 * authentication, with every {@link ApiModule}'s routes behind it. A route is protected because of
 * where it is registered, not because of the order of lines in Server: a module cannot be added
 * ahead of the authentication. The paths under {@code /v1} answered without a token are {@link
 * #OPEN_PATHS}, each registered on the main router before this is mounted and each with a check of
 * its own: {@code /v1/login} (public sign-in facts) and {@code /v1/slack/interactions} (Slack's
 * signature, see {@link SlackRoutes}).
 */
public final class Api implements RouteModule {
  /** Every path under {@code /v1} that needs no stint token; ApiMountTest holds the list. */
  public static final List<String> OPEN_PATHS = List.of("/v1/login", SlackRoutes.PATH);

  private final Vertx vertx;
  private final Handler<RoutingContext> authentication;
  private final List<ApiModule> modules;

  /**
   * @param authentication in production an {@link Authentication}; tests may admit their own
   */
  public Api(Vertx vertx, Handler<RoutingContext> authentication, List<ApiModule> modules) {
    this.vertx = vertx;
    this.authentication = authentication;
    this.modules = List.copyOf(modules);
  }

  @Override
  public void register(Router router) {
    Router v1 = Router.router(vertx);
    v1.route().handler(authentication);
    modules.forEach(m -> m.register(v1));
    router.route("/v1/*").subRouter(v1);
  }
}
