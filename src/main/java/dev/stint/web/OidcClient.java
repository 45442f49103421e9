package dev.stint.web;

import dev.stint.common.SecureUrls;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The server as an OIDC client of the people's IdP: discovery (cached for ten minutes) and the
 * authorization-code exchange. Endpoints must be https, or http on this machine (development).
 */
final class OidcClient {
  private static final Duration DISCOVERY_TTL = Duration.ofMinutes(10);
  private static final long TIMEOUT_MS = 10_000;

  /** The two endpoints sign-in needs. */
  record Endpoints(URI authorization, URI token) {}

  /** The IdP refused, or answered something unusable; the message is safe to show. */
  static final class OidcFailure extends RuntimeException {
    OidcFailure(String message) {
      super(message, null, false, false);
    }
  }

  private record Cached(Endpoints endpoints, Instant fetchedAt) {}

  private final WebClient client;
  private final Clock clock;
  private final Map<String, Cached> discovered = new ConcurrentHashMap<>();

  OidcClient(WebClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  Future<Endpoints> endpoints(String issuerUrl) {
    Cached c = discovered.get(issuerUrl);
    if (c != null && clock.instant().isBefore(c.fetchedAt().plus(DISCOVERY_TTL))) {
      return Future.succeededFuture(c.endpoints());
    }
    String base =
        issuerUrl.endsWith("/") ? issuerUrl.substring(0, issuerUrl.length() - 1) : issuerUrl;
    return client
        .getAbs(base + "/.well-known/openid-configuration")
        .timeout(TIMEOUT_MS)
        .putHeader("Accept", "application/json")
        .send()
        .recover(e -> Future.failedFuture(new OidcFailure("the identity provider is unreachable")))
        .map(
            response -> {
              if (response.statusCode() != 200) {
                throw new OidcFailure(
                    "the identity provider's discovery document answered " + response.statusCode());
              }
              JsonObject doc = response.bodyAsJsonObject();
              if (!issuerUrl.equals(doc.getString("issuer"))) {
                throw new OidcFailure("the discovery document names another issuer");
              }
              Endpoints e =
                  new Endpoints(
                      endpoint(doc, "authorization_endpoint"), endpoint(doc, "token_endpoint"));
              discovered.put(issuerUrl, new Cached(e, clock.instant()));
              return e;
            });
  }

  private static URI endpoint(JsonObject doc, String name) {
    String value = doc.getString(name);
    if (value == null || !SecureUrls.httpsOrLoopback(value)) {
      throw new OidcFailure("the discovery document has no usable " + name);
    }
    return URI.create(value);
  }

  /** Redeems an authorization code (with its PKCE verifier) for the ID token. */
  Future<String> redeem(
      URI tokenEndpoint,
      String clientId,
      Optional<String> clientSecret,
      Map<String, String> fields) {
    MultiMap form = MultiMap.caseInsensitiveMultiMap();
    form.add("grant_type", "authorization_code");
    form.add("client_id", clientId);
    fields.forEach(form::add);
    clientSecret.ifPresent(s -> form.add("client_secret", s));
    return client
        .postAbs(tokenEndpoint.toString())
        .timeout(TIMEOUT_MS)
        .putHeader("Accept", "application/json")
        .sendForm(form)
        .recover(e -> Future.failedFuture(new OidcFailure("the identity provider is unreachable")))
        .map(
            response -> {
              JsonObject body;
              try {
                body = response.bodyAsJsonObject();
              } catch (RuntimeException e) {
                body = null;
              }
              if (response.statusCode() != 200 || body == null) {
                String error =
                    body == null
                        ? "status " + response.statusCode()
                        : String.valueOf(body.getValue("error", "status " + response.statusCode()));
                throw new OidcFailure(
                    "the identity provider refused the code exchange: " + clip(error));
              }
              Object idToken = body.getValue("id_token");
              if (!(idToken instanceof String s) || s.isBlank()) {
                throw new OidcFailure("the identity provider returned no ID token");
              }
              return s;
            });
  }

  private static String clip(String s) {
    return s.length() <= 100 ? s : s.substring(0, 100) + "…";
  }
}
