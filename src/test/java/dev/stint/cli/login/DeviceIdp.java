package dev.stint.cli.login;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.stint.testing.RsaKeys;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test-only OIDC provider with the device authorization grant (RFC 8628), which
 * mock-oauth2-server does not implement. On 127.0.0.1:0 it serves discovery, JWKS, {@code /device},
 * {@code /token} (device_code and refresh_token grants) and {@code /revoke}. The token endpoint
 * plays a script: each entry is an OAuth error code to answer with, or {@code "tokens"}; once the
 * script is empty it issues tokens. ID tokens are RS256-signed with a key generated per instance
 * and expire {@link #idTokenLifetime} after the given clock's now. Every form it receives is
 * recorded so tests can assert the exact requests.
 */
final class DeviceIdp implements AutoCloseable {
  static final String CLIENT_ID = "stint-cli";

  private final HttpServer server;
  private final RSAKey key;
  private final Clock clock;
  private final AtomicInteger issued = new AtomicInteger();
  final ConcurrentLinkedDeque<String> script = new ConcurrentLinkedDeque<>();
  final List<Map<String, String>> tokenRequests = new CopyOnWriteArrayList<>();
  final List<Map<String, String>> revocations = new CopyOnWriteArrayList<>();
  volatile boolean advertiseDevice = true;
  volatile Duration idTokenLifetime = Duration.ofHours(1);
  volatile long expiresIn = 600;

  /** The seconds between polls it asks for; a test whose CLI really sleeps asks for fewer. */
  volatile long interval = 5;

  /** Whom the next ID tokens name: logging in again after changing it is someone else's login. */
  volatile String subject = "alice";

  DeviceIdp(Clock clock) throws IOException, JOSEException {
    this.clock = clock;
    this.key = RsaKeys.jwk("test");
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/.well-known/openid-configuration", ex -> answer(ex, 200, discovery()));
    server.createContext(
        "/jwks", ex -> answer(ex, 200, "{\"keys\":[" + key.toPublicJWK().toJSONString() + "]}"));
    server.createContext(
        "/device",
        ex ->
            answer(
                ex,
                200,
                "{\"device_code\":\"dev-code-1\","
                    + "\"user_code\":\"WDJB-MJHT\",\"verification_uri\":\""
                    + issuer()
                    + "/verify\","
                    + "\"verification_uri_complete\":\""
                    + issuer()
                    + "/verify?user_code=WDJB-MJHT\","
                    + "\"expires_in\":"
                    + expiresIn
                    + ",\"interval\":"
                    + interval
                    + "}"));
    server.createContext("/token", this::token);
    server.createContext(
        "/revoke",
        ex -> {
          revocations.add(LoopbackListener.query(body(ex)));
          answer(ex, 200, "");
        });
    server.start();
  }

  String issuer() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private String discovery() {
    return "{\"issuer\":\""
        + issuer()
        + "\",\"authorization_endpoint\":\""
        + issuer()
        + "/authorize\","
        + "\"token_endpoint\":\""
        + issuer()
        + "/token\",\"jwks_uri\":\""
        + issuer()
        + "/jwks\","
        + "\"revocation_endpoint\":\""
        + issuer()
        + "/revoke\""
        + (advertiseDevice ? ",\"device_authorization_endpoint\":\"" + issuer() + "/device\"" : "")
        + "}";
  }

  private void token(HttpExchange ex) throws IOException {
    Map<String, String> form = LoopbackListener.query(body(ex));
    tokenRequests.add(form);
    String next = script.pollFirst();
    if (next != null && !next.equals("tokens")) {
      answer(
          ex, 400, "{\"error\":\"" + next + "\",\"error_description\":\"scripted " + next + "\"}");
      return;
    }
    int n = issued.incrementAndGet();
    answer(
        ex,
        200,
        "{\"token_type\":\"Bearer\",\"expires_in\":3600,\"access_token\":\"access-"
            + n
            + "\",\"refresh_token\":\"refresh-"
            + n
            + "\",\"id_token\":\""
            + idToken(n)
            + "\"}");
  }

  String idToken(int n) {
    try {
      JWTClaimsSet claims =
          new JWTClaimsSet.Builder()
              .issuer(issuer())
              .audience(CLIENT_ID)
              .subject(subject)
              .claim("email", subject + "@example.com")
              .claim("groups", List.of("sre", "eng"))
              .claim("n", n)
              .issueTime(Date.from(clock.instant()))
              .expirationTime(Date.from(clock.instant().plus(idTokenLifetime)))
              .build();
      SignedJWT jwt =
          new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("test").build(), claims);
      jwt.sign(new RSASSASigner(key));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String body(HttpExchange ex) throws IOException {
    return new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
  }

  private static void answer(HttpExchange ex, int status, String json) throws IOException {
    try (ex) {
      byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", "application/json");
      ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
      if (bytes.length > 0) {
        try (OutputStream out = ex.getResponseBody()) {
          out.write(bytes);
        }
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
