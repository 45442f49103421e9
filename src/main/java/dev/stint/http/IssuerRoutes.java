package dev.stint.http;

import dev.stint.signing.SigningKeys;
import dev.stint.signing.TokenSigner;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * stint as an OIDC issuer, unauthenticated: the discovery document and the JWKS that AWS IAM OIDC
 * providers, GCP workload identity pools and Entra federated credentials fetch. Both bodies are
 * computed once; the keys only change with a restart.
 */
public final class IssuerRoutes implements RouteModule {
  public static final String DISCOVERY = "/.well-known/openid-configuration";
  public static final String JWKS = "/.well-known/jwks.json";

  /** Public documents, so caches may keep them; five minutes bounds how stale a rotation sees. */
  static final String CACHE_CONTROL = "public, max-age=300";

  static final List<String> CLAIMS =
      List.of("iss", "sub", "aud", "iat", "nbf", "exp", "jti", "grant_id", "stint_principal");

  private final String discovery;
  private final String jwks;

  public IssuerRoutes(TokenSigner signer, SigningKeys keys) {
    String issuer = signer.issuer();
    JsonArray algs = new JsonArray();
    keys.algorithms().forEach(a -> algs.add(a.getName()));
    this.discovery =
        new JsonObject()
            .put("issuer", issuer)
            .put("jwks_uri", issuer + JWKS)
            .put("response_types_supported", new JsonArray().add("id_token"))
            .put("subject_types_supported", new JsonArray().add("public"))
            .put("id_token_signing_alg_values_supported", algs)
            .put("claims_supported", new JsonArray(CLAIMS))
            .encode();
    // toJSONObject() of the public set: public members only, whatever the keys held.
    this.jwks = new JsonObject(keys.publicJwkSet().toJSONObject(true)).encode();
  }

  @Override
  public void register(Router router) {
    router.get(DISCOVERY).handler(ctx -> send(ctx, discovery));
    router.get(JWKS).handler(ctx -> send(ctx, jwks));
  }

  private static void send(RoutingContext ctx, String body) {
    ctx.response()
        .putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", CACHE_CONTROL)
        .end(body);
  }
}
