package dev.stint.standin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.JWKSet;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.text.ParseException;
import java.time.Duration;
import java.util.Set;

/**
 * An IAM OIDC identity provider as an AWS account holds one: the issuer it trusts, the client ids
 * (audiences) a token may name, and the issuer's public signing keys, which STS verifies every
 * {@code AssumeRoleWithWebIdentity} token against. A stand-in knows only the providers it is given,
 * as an account knows only those an operator created.
 */
public record OidcProvider(String issuer, Set<String> clientIds, JWKSet keys) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public OidcProvider {
    clientIds = Set.copyOf(clientIds);
    keys = keys.toPublicJWKSet();
  }

  /**
   * The provider for {@code issuer}, its keys fetched now through OIDC discovery ({@code
   * /.well-known/openid-configuration}, then its {@code jwks_uri}), as IAM does. Blocking: for
   * setting a stand-in up, never inside an answer.
   */
  public static OidcProvider discover(String issuer, String... clientIds) {
    HttpClient http = HttpClient.newHttpClient();
    try {
      String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
      JsonNode discovery = JSON.readTree(get(http, base + "/.well-known/openid-configuration"));
      if (!issuer.equals(discovery.path("issuer").asText())) {
        throw new IllegalStateException(
            "the discovery document names issuer " + discovery.path("issuer") + ", not " + issuer);
      }
      JWKSet keys = JWKSet.parse(get(http, discovery.path("jwks_uri").asText()));
      return new OidcProvider(issuer, Set.of(clientIds), keys);
    } catch (IOException | ParseException e) {
      throw new IllegalStateException("cannot read the OIDC keys of " + issuer + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted reading the OIDC keys of " + issuer, e);
    }
  }

  private static String get(HttpClient http, String url) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException(url + " answered " + response.statusCode());
    }
    return response.body();
  }
}
