package dev.stint.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The client side of a sign-in at the development IdP, as a test drives it: a loopback redirect
 * URI, the authorization URL with PKCE, the code exchange and signature verification against the
 * IdP's JWKS.
 */
final class DevIdpClient implements AutoCloseable {
  static final String VERIFIER = "test-verifier-0123456789-0123456789-0123456789";
  private static final ObjectMapper JSON = new ObjectMapper();

  final HttpClient http =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
  private final LoopbackCallback callback = new LoopbackCallback();
  private final DevIdp idp;

  DevIdpClient(DevIdp idp) throws IOException {
    this.idp = idp;
  }

  URI redirectUri() {
    return callback.uri();
  }

  Map<String, String> authorizeParams(String clientId, String state, String nonce) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("response_type", "code");
    p.put("client_id", clientId);
    p.put("redirect_uri", redirectUri().toString());
    p.put("scope", "openid profile email groups");
    p.put("state", state);
    p.put("nonce", nonce);
    p.put("code_challenge", AuthorizationCodes.s256(VERIFIER));
    p.put("code_challenge_method", "S256");
    return p;
  }

  URI authorizeUrl(Map<String, String> params) {
    return URI.create(idp.issuer() + "/authorize?" + HttpForms.encode(params));
  }

  HttpResponse<String> get(URI uri) throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> post(URI uri, Map<String, String> form) throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(HttpForms.encode(form)))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> exchange(String clientId, String code, String verifier) throws Exception {
    return post(
        URI.create(idp.issuer() + "/token"),
        Map.of(
            "grant_type",
            "authorization_code",
            "client_id",
            clientId,
            "code",
            code,
            "redirect_uri",
            redirectUri().toString(),
            "code_verifier",
            verifier));
  }

  static JsonNode json(HttpResponse<String> response) throws IOException {
    return JSON.readTree(response.body());
  }

  /** The ID token's claims, after checking its RS256 signature with the IdP's published JWKS. */
  JWTClaimsSet verified(String idToken) throws Exception {
    JWKSet keys = JWKSet.parse(get(URI.create(idp.issuer() + "/jwks")).body());
    SignedJWT jwt = SignedJWT.parse(idToken);
    RSAKey key = (RSAKey) keys.getKeyByKeyId(jwt.getHeader().getKeyID());
    if (key == null || key.isPrivate() || !jwt.verify(new RSASSAVerifier(key))) {
      throw new AssertionError("ID token is not signed by the IdP's published key");
    }
    return jwt.getJWTClaimsSet();
  }

  @Override
  public void close() {
    callback.close();
  }
}
