package dev.stint.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Base64;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local Entra ID for tests on HTTPS (azure-identity refuses http authorities): the tenant's v2.0
 * token endpoint answering client-credentials requests in Entra's JSON shape. With instance
 * discovery disabled (as {@code AzureMinter} does) MSAL asks for nothing else: no instance
 * discovery, no OpenID metadata; anything else gets a 404 and is recorded, so a test notices. Every
 * request is recorded, so a test can read the client assertion and verify it; failures and the
 * token lifetime ({@code expires_in}) are programmable.
 *
 * <p>Tokens are JWTs in the shape of Entra's v1.0 access tokens for Azure Resource Manager: {@code
 * aud} the resource asked for, {@code appid} the client, {@code tid} the tenant and {@code iss} its
 * {@code sts.windows.net} issuer, a fresh {@code uti} each, signed RS256 with this Entra's own key,
 * whose public half {@link #publicKeys} publishes (as Entra's {@code discovery/keys} does), so a
 * resource can verify them as Azure Resource Manager does. {@link #opaqueTokens} makes them opaque
 * instead, as Entra's tokens for some resources are.
 */
public final class FakeEntra extends FakeHttpsEndpoint {
  /** A programmable failure, answered in Entra's error shape. */
  public enum Failure {
    NO_MATCHING_FEDERATED_IDENTITY,
    APP_NOT_FOUND,
    SERVER_ERROR,
    HANG
  }

  private static final Pattern TOKEN = Pattern.compile("/([^/]+)/oauth2/v2\\.0/token");
  private static final ObjectMapper JSON = new ObjectMapper();
  private final SecureRandom random = new SecureRandom();
  private final Deque<Failure> failures = new ArrayDeque<>();
  private final RSAKey key;
  private volatile long expiresInSeconds = 3599;
  private volatile boolean opaque;

  public FakeEntra(TestTls tls) {
    super(tls);
    this.key = RsaKeys.jwk("entra-" + UUID.randomUUID());
  }

  /** The keys this Entra signs its tokens with, public halves only, as it publishes them. */
  public JWKSet publicKeys() {
    return new JWKSet(key.toPublicJWK());
  }

  /** Tokens issued from now on say {@code expires_in} this many seconds. */
  public FakeEntra expiresIn(long seconds) {
    this.expiresInSeconds = seconds;
    return this;
  }

  /** Tokens issued from now on are opaque strings, not JWTs: they carry no {@code uti}. */
  public FakeEntra opaqueTokens(boolean on) {
    this.opaque = on;
    return this;
  }

  /** The claims of a token this fake issued (its payload), for tests to read its uti. */
  public static ObjectNode claims(String token) {
    try {
      return (ObjectNode) JSON.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
    } catch (java.io.IOException e) {
      throw new AssertionError("not a token of this fake: " + e.getMessage());
    }
  }

  /** The next token requests fail in this order; later ones succeed. */
  public synchronized FakeEntra failNext(Failure... next) {
    failures.addAll(List.of(next));
    return this;
  }

  /** The token requests received, in order. */
  public List<Call> tokenCalls() {
    return calls(c -> c.method().equals("POST") && TOKEN.matcher(c.path()).matches());
  }

  /** The only token request, failing when there is not exactly one. */
  public Call onlyTokenCall() {
    List<Call> calls = tokenCalls();
    if (calls.size() != 1) {
      throw new AssertionError("expected one token request, got " + calls.size() + ": " + calls());
    }
    return calls.get(0);
  }

  /** The tenant a token request was made for, from its path. */
  public static String tenant(Call call) {
    Matcher m = TOKEN.matcher(call.path());
    if (!m.matches()) {
      throw new AssertionError("not a token request: " + call.path());
    }
    return m.group(1);
  }

  @Override
  protected Answer answer(Call call) {
    Matcher token = TOKEN.matcher(call.path());
    if (call.method().equals("POST") && token.matches()) {
      Failure failure = nextFailure();
      return failure != null ? error(failure) : token(call, token.group(1));
    }
    return Answer.json(404, "{\"error\":\"not_found\"}");
  }

  /** Entra echoes the caller's correlation id, and MSAL checks that it does. */
  @Override
  protected Map<String, String> answerHeaders(Call call) {
    String id = call.header("client-request-id");
    return id == null ? Map.of() : Map.of("client-request-id", id);
  }

  private Answer token(Call call, String tenant) {
    String token =
        opaque
            ? "opaque-fake-" + HexFormat.of().formatHex(random.generateSeed(16))
            : jwt(call, tenant);
    ObjectNode body =
        JSON.createObjectNode()
            .put("token_type", "Bearer")
            .put("expires_in", expiresInSeconds)
            .put("ext_expires_in", expiresInSeconds)
            .put("access_token", token);
    return Answer.json(200, body.toString());
  }

  /** An access token for the scope's resource, as Entra's v1.0 tokens for ARM read. */
  private String jwt(Call call, String tenant) {
    // MSAL adds openid, profile and offline_access to the one resource's scope.
    String scope =
        Arrays.stream(String.valueOf(call.form("scope")).split(" "))
            .filter(s -> s.endsWith("/.default"))
            .findFirst()
            .orElse("");
    String resource = scope.substring(0, Math.max(0, scope.length() - "/.default".length()));
    Instant now = Instant.ofEpochSecond(System.currentTimeMillis() / 1000);
    return sign(
        accessTokenClaims(
            tenant,
            String.valueOf(call.form("client_id")),
            resource.endsWith("/") ? resource : resource + "/",
            now,
            now.plusSeconds(expiresInSeconds)));
  }

  /**
   * The claims of an access token this Entra issues in {@code tenant} to app {@code appId} for
   * {@code audience}, valid from {@code notBefore} until {@code expires}: for a test to alter one
   * and {@link #sign} the result, as a token Entra never issued.
   */
  public ObjectNode accessTokenClaims(
      String tenant, String appId, String audience, Instant notBefore, Instant expires) {
    return JSON.createObjectNode()
        .put("aud", audience)
        .put("iss", "https://sts.windows.net/" + tenant + "/")
        .put("iat", notBefore.getEpochSecond())
        .put("nbf", notBefore.getEpochSecond())
        .put("exp", expires.getEpochSecond())
        .put("appid", appId)
        .put("appidacr", "2")
        .put("oid", UUID.randomUUID().toString())
        .put("tid", tenant)
        .put("uti", Base64.getUrlEncoder().withoutPadding().encodeToString(random.generateSeed(16)))
        .put("ver", "1.0");
  }

  /** {@code claims} as a JWT signed RS256 with this Entra's key, as it signs its tokens. */
  public String sign(ObjectNode claims) {
    JWSObject jws =
        new JWSObject(
            new JWSHeader.Builder(JWSAlgorithm.RS256)
                .type(JOSEObjectType.JWT)
                .keyID(key.getKeyID())
                .build(),
            new Payload(claims.toString()));
    try {
      jws.sign(new RSASSASigner(key));
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
    return jws.serialize();
  }

  private static Answer error(Failure failure) {
    return switch (failure) {
      case NO_MATCHING_FEDERATED_IDENTITY ->
          entraError(
              400,
              "invalid_client",
              70021,
              "No matching federated identity record found for presented assertion.");
      case APP_NOT_FOUND ->
          entraError(
              400,
              "unauthorized_client",
              700016,
              "Application with identifier was not found in the directory.");
      case SERVER_ERROR ->
          entraError(
              503,
              "temporarily_unavailable",
              90033,
              "A transient error has occurred. Please try again.");
      case HANG -> HANG;
    };
  }

  private static Answer entraError(int status, String error, int code, String description) {
    ObjectNode body =
        JSON.createObjectNode()
            .put("error", error)
            .put("error_description", "AADSTS" + code + ": " + description)
            .put("trace_id", "00000000-0000-0000-0000-000000000001")
            .put("correlation_id", "00000000-0000-0000-0000-000000000002");
    body.putArray("error_codes").add(code);
    return Answer.json(status, body.toString());
  }

  private synchronized Failure nextFailure() {
    return failures.poll();
  }
}
