package dev.stint.http;

import com.nimbusds.jose.jwk.JWKSet;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

/**
 * The public keys audit checkpoints verify under, unauthenticated, for {@code stint audit verify}
 * and any auditor's own tools. Apart from {@link IssuerRoutes#JWKS} on purpose: clouds trust every
 * key there for federation tokens, and a checkpoint key must never be one of them.
 */
public final class CheckpointKeyRoutes implements RouteModule {
  public static final String PATH = "/.well-known/stint-checkpoint-keys.json";

  private final String body;

  public CheckpointKeyRoutes(JWKSet keys) {
    // toJSONObject(true): public members only, whatever the set held.
    this.body = new JsonObject(keys.toJSONObject(true)).encode();
  }

  @Override
  public void register(Router router) {
    router
        .get(PATH)
        .handler(
            ctx ->
                ctx.response()
                    .putHeader("Content-Type", "application/json")
                    .putHeader("Cache-Control", IssuerRoutes.CACHE_CONTROL)
                    .end(body));
  }
}
