package dev.stint.identity;

import static dev.stint.testing.JwksServer.sign;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.stint.testing.JwksServer;
import dev.stint.testing.MutableClock;
import dev.stint.testing.TestPostgres;
import dev.stint.testing.TestServer;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

/** Tokens from an in-process issuer against a real server: the good one in, every bad one 401. */
class TokenVerificationIT {
  static JwksServer idp;
  static JwksServer rotating;
  static TestServer server;
  static final MutableClock CLOCK = new MutableClock(Instant.now());
  static final RSAKey KEY = JwksServer.rsaKey("k1");
  static final ECKey EC_KEY = JwksServer.ecKey("e1");
  static final RSAKey OTHER = JwksServer.rsaKey("k1"); // same kid, different key

  @BeforeAll
  static void start() {
    idp = JwksServer.start();
    idp.publish(KEY, EC_KEY);
    rotating = JwksServer.start();
    server =
        TestServer.start(
            TestPostgres.migratedDatabase(),
            Map.of(),
            """
        issuers:
          idp: {issuer: '%s', audience: stint, max_token_lifetime: 2h}
          rotating: {issuer: '%s', audience: stint}
        profiles:
          viewer:
            description: Read-only
            gcp: {service_account: viewer@acme-prod.iam.gserviceaccount.com}
            max_duration: 1h
            requesters: 'principal.groups.exists(g, g == "eng")'
            approval: {count: 1, approvers: 'true', auto_approve: 'principal.subject == "alice"'}
          admin:
            aws: {role_arn: "arn:aws:iam::111122223333:role/admin", region: eu-west-1}
            max_duration: 2h
            requesters: 'principal.groups.exists(g, g == "sre")'
            approval: {count: 2, approvers: 'true'}
        """
                .formatted(idp.issuer(), rotating.issuer()),
            CLOCK);
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    idp.close();
    rotating.close();
  }

  static JWTClaimsSet.Builder claims() {
    Instant now = Instant.now();
    return new JWTClaimsSet.Builder()
        .issuer(idp.issuer())
        .audience(List.of("stint", "other"))
        .subject("alice")
        .claim("email", "alice@example.com")
        .claim("groups", List.of("eng"))
        .issueTime(Date.from(now))
        .expirationTime(Date.from(now.plusSeconds(600)))
        .jwtID("j-1");
  }

  static Date in(long seconds) {
    return Date.from(Instant.now().plusSeconds(seconds));
  }

  static JWSHeader.Builder rs256() {
    return new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1");
  }

  @Test
  void aGoodTokenIsAPrincipal() {
    HttpResponse<String> r = server.get("/v1/whoami", sign(KEY, claims().build()));
    assertThat(r.statusCode()).isEqualTo(200);
    JsonObject body = new JsonObject(r.body());
    assertThat(body.getString("issuer")).isEqualTo("idp");
    assertThat(body.getString("issuer_url")).isEqualTo(idp.issuer());
    assertThat(body.getString("subject")).isEqualTo("alice");
    assertThat(body.getString("email")).isEqualTo("alice@example.com");
    assertThat(body.getJsonArray("groups").getList()).containsExactly("eng");
    assertThat(Instant.parse(body.getString("expires_at"))).isAfter(Instant.now());
  }

  @Test
  void anEs256TokenIsAccepted() {
    String token =
        sign(
            EC_KEY,
            new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("e1").build(),
            claims().build());
    assertThat(server.get("/v1/whoami", token).statusCode()).isEqualTo(200);
  }

  @Test
  void profilesListsWhatTheCallerMayRequest() {
    HttpResponse<String> r = server.get("/v1/profiles", sign(KEY, claims().build()));
    assertThat(r.statusCode()).isEqualTo(200);
    var profiles = new JsonObject(r.body()).getJsonArray("profiles");
    assertThat(profiles.size()).isEqualTo(1);
    JsonObject viewer = profiles.getJsonObject(0);
    assertThat(viewer.getString("name")).isEqualTo("viewer");
    assertThat(viewer.getString("cloud")).isEqualTo("gcp");
    assertThat(viewer.getString("description")).isEqualTo("Read-only");
    assertThat(viewer.getString("max_duration")).isEqualTo("1h");
    assertThat(viewer.getInteger("approvals_required")).isEqualTo(1);
    assertThat(viewer.getBoolean("auto_approve_for_you")).isTrue();
    assertThat(viewer.getBoolean("break_glass")).isFalse();
    assertThat(viewer.containsKey("region")).isTrue();
    assertThat(viewer.getString("region")).as("a GCP profile names no region").isNull();
    String bob = sign(KEY, claims().subject("bob").claim("groups", List.of("sre")).build());
    var bobs = new JsonObject(server.get("/v1/profiles", bob).body()).getJsonArray("profiles");
    assertThat(bobs.size()).isEqualTo(1);
    assertThat(bobs.getJsonObject(0).getString("name")).isEqualTo("admin");
    assertThat(bobs.getJsonObject(0).getBoolean("auto_approve_for_you")).isFalse();
    assertThat(bobs.getJsonObject(0).getString("region")).isEqualTo("eu-west-1");
  }

  @Test
  void outsideV1NoTokenIsNeededAndLoginIsPublic() {
    assertThat(server.get("/healthz").statusCode()).isEqualTo(200);
    assertThat(server.get("/readyz").statusCode()).isEqualTo(200);
    HttpResponse<String> login = server.get("/v1/login");
    assertThat(login.statusCode()).isEqualTo(404); // this policy has no login block
    assertThat(new JsonObject(login.body()).getString("code")).isEqualTo("not_found");
  }

  static Stream<Arguments> badTokens() {
    return Stream.<Arguments>of(
        bad("no Authorization header", null),
        bad("empty bearer", ""),
        bad("garbage", "not-a-jwt"),
        bad("alg none", new PlainJWT(claims().build()).serialize()),
        bad(
            "alg none with a signature-looking tail",
            new PlainJWT(claims().build()).serialize() + "c2ln"),
        bad("HS256 signed with the public key", hmacWithPublicKey()),
        bad(
            "embedded jwk header",
            sign(OTHER, rs256().jwk(OTHER.toPublicJWK()).build(), claims().build())),
        bad(
            "jku header",
            sign(
                KEY,
                rs256().jwkURL(URI.create("https://evil.example.com/jwks")).build(),
                claims().build())),
        bad(
            "x5u header",
            sign(
                KEY,
                rs256().x509CertURL(URI.create("https://evil.example.com/cert")).build(),
                claims().build())),
        bad(
            "x5c header",
            sign(
                KEY, rs256().x509CertChain(List.of(Base64.encode("x"))).build(), claims().build())),
        bad(
            "crit header",
            sign(
                KEY,
                rs256().criticalParams(Set.of("exp2")).customParam("exp2", 1).build(),
                claims().build())),
        bad("larger than 16 KiB", sign(KEY, claims().claim("pad", "x".repeat(12_800)).build())),
        bad(
            "lifetime above max_token_lifetime",
            sign(KEY, claims().expirationTime(in(3 * 3600)).build())),
        bad("wrong issuer", sign(KEY, claims().issuer("https://evil.example.com").build())),
        bad("issuer with a trailing slash", sign(KEY, claims().issuer(idp.issuer() + "/").build())),
        bad("wrong audience", sign(KEY, claims().audience("someone-else").build())),
        bad("no audience", sign(KEY, claims().audience((String) null).build())),
        bad("expired", sign(KEY, claims().issueTime(in(-1200)).expirationTime(in(-120)).build())),
        bad(
            "not yet valid",
            sign(KEY, claims().notBeforeTime(in(600)).expirationTime(in(1200)).build())),
        bad(
            "issued in the future",
            sign(KEY, claims().issueTime(in(600)).expirationTime(in(1200)).build())),
        bad("missing exp", sign(KEY, claims().expirationTime(null).build())),
        bad("missing sub", sign(KEY, claims().subject(null).build())),
        bad("tampered payload", tamper(sign(KEY, claims().build()))),
        bad("truncated", cut(sign(KEY, claims().build()))),
        bad("signature stripped", stripSignature(sign(KEY, claims().build()))),
        bad("wrong key, right kid", sign(OTHER, claims().build())),
        bad("unknown kid", sign(JwksServer.rsaKey("nope"), claims().build())),
        bad(
            "disallowed alg RS384",
            sign(
                KEY,
                new JWSHeader.Builder(JWSAlgorithm.RS384).keyID("k1").build(),
                claims().build())),
        bad(
            "disallowed alg PS256",
            sign(
                KEY,
                new JWSHeader.Builder(JWSAlgorithm.PS256).keyID("k1").build(),
                claims().build())),
        bad("ES256 header on an RSA kid", swapAlg(sign(KEY, claims().build()))),
        bad("typ JWE-looking five parts", "a.b.c.d.e"));
  }

  static Arguments bad(String name, String token) {
    return Arguments.of(name, token);
  }

  static String hmacWithPublicKey() {
    try {
      SignedJWT jwt =
          new SignedJWT(
              new JWSHeader.Builder(JWSAlgorithm.HS256)
                  .keyID("k1")
                  .type(JOSEObjectType.JWT)
                  .build(),
              claims().build());
      jwt.sign(new MACSigner(KEY.toPublicJWK().toRSAPublicKey().getEncoded()));
      return jwt.serialize();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static String tamper(String token) {
    String[] parts = token.split("\\.");
    String payload = new Base64URL(parts[1]).decodeToString().replace("\"alice\"", "\"admin\"");
    return parts[0] + "." + Base64URL.encode(payload) + "." + parts[2];
  }

  static String cut(String token) {
    return token.substring(0, token.length() - 12);
  }

  static String stripSignature(String token) {
    return token.substring(0, token.lastIndexOf('.') + 1);
  }

  static String swapAlg(String token) {
    Function<String, String> header =
        h ->
            Base64URL.encode(new Base64URL(h).decodeToString().replace("RS256", "ES256"))
                .toString();
    String[] parts = token.split("\\.");
    return header.apply(parts[0]) + "." + parts[1] + "." + parts[2];
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badTokens")
  void everyBadTokenIs401WithAGenericDetail(String name, String token) {
    ListAppender<ILoggingEvent> log = capture();
    HttpRequest.Builder req = HttpRequest.newBuilder(server.uri("/v1/whoami")).GET();
    if (token != null) {
      req.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> r = server.send(req.build());
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.headers().firstValue("Content-Type")).contains("application/problem+json");
    assertThat(r.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"stint\"");
    JsonObject body = new JsonObject(r.body());
    assertThat(body.getString("code")).isEqualTo("unauthenticated");
    assertThat(body.getString("detail"))
        .isEqualTo(
            token == null || token.isBlank()
                ? "a bearer token is required"
                : "invalid or untrusted token");
    release(log);
    if (token != null && token.length() > 20) {
      assertThat(log.list)
          .extracting(ILoggingEvent::getFormattedMessage)
          .anySatisfy(m -> assertThat(m).startsWith("token refused: "))
          .allSatisfy(m -> assertThat(m).doesNotContain(token.substring(token.length() / 2)));
    }
  }

  static ListAppender<ILoggingEvent> capture() {
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    ((Logger) LoggerFactory.getLogger(OidcTokenVerifier.class)).addAppender(appender);
    return appender;
  }

  static void release(ListAppender<ILoggingEvent> appender) {
    ((Logger) LoggerFactory.getLogger(OidcTokenVerifier.class)).detachAppender(appender);
  }

  @Test
  void aNewKeyIsPickedUpWithoutARestart() {
    RSAKey first = JwksServer.rsaKey("r1");
    RSAKey next = JwksServer.rsaKey("r2");
    // The server asked for the (then empty) keys at boot; that fetch is 30 s old now.
    CLOCK.advance(Duration.ofSeconds(31));
    int atBoot = rotating.jwksFetches();
    rotating.publish(first);
    JWTClaimsSet claims = claims().issuer(rotating.issuer()).build();
    assertThat(server.get("/v1/whoami", sign(first, claims)).statusCode()).isEqualTo(200);
    assertThat(rotating.jwksFetches()).isEqualTo(atBoot + 1);

    rotating.publish(first, next);
    // Within 30 s of the last fetch an unknown kid does not reach the IdP...
    assertThat(server.get("/v1/whoami", sign(next, claims)).statusCode()).isEqualTo(401);
    assertThat(rotating.jwksFetches()).isEqualTo(atBoot + 1);
    // ...after that, the new key is fetched once and used, without a restart.
    CLOCK.advance(Duration.ofSeconds(31));
    assertThat(server.get("/v1/whoami", sign(next, claims)).statusCode()).isEqualTo(200);
    assertThat(server.get("/v1/whoami", sign(first, claims)).statusCode()).isEqualTo(200);
    assertThat(rotating.jwksFetches()).isEqualTo(atBoot + 2);
  }
}
