package dev.stint.http;

import dev.stint.error.StintException;
import dev.stint.identity.Principal;
import dev.stint.policy.IssuerConfig;
import dev.stint.policy.LoginConfig;
import dev.stint.policy.PolicyInForce;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /v1/whoami} (the verified caller, for {@code stint whoami}) and the unauthenticated
 * {@code GET /v1/login} (where {@code stint login} finds the people's IdP).
 */
public final class IdentityRoutes implements ApiModule {
  private final PolicyInForce policies;

  public IdentityRoutes(PolicyInForce policies) {
    this.policies = policies;
  }

  @Override
  public void register(Router v1) {
    v1.get("/whoami").handler(this::whoami);
  }

  /**
   * {@code GET /v1/login}: what the CLI needs to sign in, before it has a token. Registered on the
   * main router ahead of the {@link Api}, so this one path is answered without a token.
   */
  public RouteModule login() {
    return router -> router.get("/v1/login").handler(this::login);
  }

  private void whoami(RoutingContext ctx) {
    Principal p = Authentication.principal(ctx);
    ctx.json(
        new JsonObject()
            .put("issuer", p.issuerName())
            .put("issuer_url", p.issuer())
            .put("subject", p.subject())
            .put("email", p.email().orElse(null))
            .put("groups", new JsonArray(p.groups()))
            .put("groups_from", p.groupsFrom().code())
            .put("expires_at", p.tokenExpiresAt().toString()));
  }

  private void login(RoutingContext ctx) {
    var policy = policies.current();
    LoginConfig login =
        policy
            .login()
            .orElseThrow(
                () ->
                    StintException.notFound(
                        "this server has no login configuration (policy 'login:' block)"));
    IssuerConfig issuer =
        policy
            .issuer(login.issuerName())
            .orElseThrow(() -> StintException.notFound("the login issuer is not configured"));
    ctx.json(
        new JsonObject()
            .put("issuer", issuer.issuerUrl())
            .put("client_id", login.clientId())
            .put("scopes", new JsonArray(login.scopes())));
  }
}
