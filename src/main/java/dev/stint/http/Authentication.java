package dev.stint.http;

import dev.stint.error.ErrorCode;
import dev.stint.error.StintException;
import dev.stint.identity.Principal;
import dev.stint.identity.TokenVerifier;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/**
 * Requires {@code Authorization: Bearer <token>} on every {@code /v1/*} path except the few
 * that must work before login ({@code /v1/login}); health, metrics and {@code /.well-known} are
 * outside {@code /v1}. Register it before the modules whose routes it protects.
 */
public final class Authentication implements RouteModule {
  private static final String KEY = "stint.principal";
  private static final Set<String> PUBLIC = Set.of("/v1/login");
  private final TokenVerifier verifier;

  public Authentication(TokenVerifier verifier) {
    this.verifier = verifier;
  }

  /** The verified caller of a request that passed this handler. */
  public static Principal principal(RoutingContext ctx) {
    Principal p = ctx.get(KEY);
    if (p == null) {
      throw new StintException(ErrorCode.UNAUTHENTICATED, "a valid bearer token is required");
    }
    return p;
  }

  @Override
  public void register(Router router) {
    router.route("/v1/*").handler(this::handle);
  }

  private void handle(RoutingContext ctx) {
    if (PUBLIC.contains(ctx.normalizedPath())) {
      ctx.next();
      return;
    }
    String header = ctx.request().getHeader("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)
        || header.substring(7).isBlank()) {
      ctx.fail(new StintException(ErrorCode.UNAUTHENTICATED, "a bearer token is required"));
      return;
    }
    Context context = Vertx.currentContext();
    verifier.verify(header.substring(7).trim()).onComplete(result -> {
      // Key fetches shared between event loops may complete on another one; the routing
      // context must only be touched from its own.
      Runnable resume = () -> {
        if (result.succeeded()) {
          ctx.put(KEY, result.result());
          ctx.next();
        } else {
          ctx.fail(result.cause());
        }
      };
      if (context == null || Vertx.currentContext() == context) {
        resume.run();
      } else {
        context.runOnContext(v -> resume.run());
      }
    });
  }
}
