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
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.stint.error.StintException;
import dev.stint.policy.IssuerConfig;
import dev.stint.testing.JwksServer;
import dev.stint.testing.Patience;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

/**
 * Every refusal of the verifier on its own, with the reason it logs, at a fixed time: each check
 * refuses for its own reason (not a later check's), and each time limit is checked on both sides of
 * its edge. {@code TokenVerificationIT} sends the same kinds of token through a whole server.
 */
class OidcTokenVerifierTest {
  static final Instant NOW = Instant.parse("2026-11-23T09:00:00Z");
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  static final Duration SKEW = OidcTokenVerifier.SKEW;
  static final Duration MAX_LIFETIME = Duration.ofHours(2);
  static final RSAKey KEY = JwksServer.rsaKey("k1");
  static final RSAKey OTHER = JwksServer.rsaKey("k1"); // same kid, another key

  /** An issuer value the refusal logs whole; one character more is clipped. */
  static final String LONGEST_LOGGED_ISSUER =
      "https://evil.example.com/" + "a".repeat(200 - "https://evil.example.com/".length());

  static Vertx vertx;
  static JwksServer idp;
  static IssuerConfig issuer;
  static OidcTokenVerifier verifier;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    idp = JwksServer.start();
    idp.publish(KEY);
    issuer =
        IssuerConfig.forPeople(
            "idp", idp.issuer(), "stint", "groups", IssuerConfig.DEFAULT_ALGORITHMS, MAX_LIFETIME);
    // Nothing remembered: every call takes the whole path.
    verifier =
        new OidcTokenVerifier(
            () -> List.of(issuer), new JwksCache(WebClient.create(vertx), CLOCK), CLOCK, false);
  }

  @AfterAll
  static void stop() throws Exception {
    idp.close();
    vertx.close().await(Patience.seconds(10), TimeUnit.MILLISECONDS);
  }

  /** A good token's claims: issued now to stint, expiring well inside every limit. */
  static JWTClaimsSet.Builder claims() {
    return new JWTClaimsSet.Builder()
        .issuer(idp.issuer())
        .audience(List.of("other", "stint"))
        .subject("alice")
        .issueTime(at(Duration.ZERO))
        .expirationTime(at(Duration.ofMinutes(10)));
  }

  static Date at(Duration fromNow) {
    return Date.from(NOW.plus(fromNow));
  }

  static Supplier<String> signed(UnaryOperator<JWTClaimsSet.Builder> change) {
    return () -> sign(KEY, change.apply(claims()).build());
  }

  static Supplier<String> signed(JWSHeader.Builder header) {
    return () -> sign(KEY, header.build(), claims().build());
  }

  static JWSHeader.Builder rs256() {
    return new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1");
  }

  static Arguments refused(String name, Supplier<String> token, String reason) {
    return Arguments.of(name, token, reason);
  }

  static Stream<Arguments> refusals() {
    return Stream.of(
        refused("empty", () -> "", "empty token"),
        refused("blank", () -> "  ", "empty token"),
        refused(
            "larger than 16 KiB",
            signed(c -> c.claim("pad", "x".repeat(OidcTokenVerifier.MAX_TOKEN_CHARS))),
            "token larger than 16 KiB"),
        refused("not a JWT", () -> "not-a-jwt", "malformed token"),
        refused("alg none", () -> new PlainJWT(claims().build()).serialize(), "unsigned token"),
        refused(
            "HS256 signed with the issuer's public key",
            OidcTokenVerifierTest::hmacWithPublicKey,
            "algorithm HS256 is not allowed for issuer idp"),
        refused(
            "RS384, not in the issuer's list",
            signed(new JWSHeader.Builder(JWSAlgorithm.RS384).keyID("k1")),
            "algorithm RS384 is not allowed for issuer idp"),
        refused(
            "crit header",
            signed(rs256().criticalParams(Set.of("exp2")).customParam("exp2", 1)),
            "crit header"),
        refused(
            "embedded jwk header",
            () -> sign(OTHER, rs256().jwk(OTHER.toPublicJWK()).build(), claims().build()),
            "token names its own key"),
        refused(
            "jku header",
            signed(rs256().jwkURL(URI.create("https://evil.example.com/jwks"))),
            "token names its own key"),
        refused(
            "x5u header",
            signed(rs256().x509CertURL(URI.create("https://evil.example.com/cert"))),
            "token names its own key"),
        refused(
            "untrusted issuer",
            signed(c -> c.issuer("https://evil.example.com")),
            "untrusted issuer 'https://evil.example.com'"),
        refused("no issuer", signed(c -> c.issuer(null)), "untrusted issuer 'null'"),
        refused(
            "an untrusted issuer as long as a log line keeps",
            signed(c -> c.issuer(LONGEST_LOGGED_ISSUER)),
            "untrusted issuer '" + LONGEST_LOGGED_ISSUER + "'"),
        refused(
            "an untrusted issuer a character longer, clipped in the log",
            signed(c -> c.issuer(LONGEST_LOGGED_ISSUER + "x")),
            "untrusted issuer '" + LONGEST_LOGGED_ISSUER + "…'"),
        refused(
            "another key under the issuer's kid",
            () -> sign(OTHER, claims().build()),
            "signature does not verify with the keys of issuer idp"),
        refused(
            "a kid the issuer does not publish",
            () -> sign(JwksServer.rsaKey("k2"), claims().build()),
            "no RS256 key with kid 'k2' from issuer idp"),
        refused("no exp", signed(c -> c.expirationTime(null)), "token has no exp"),
        refused(
            "expired a skew ago",
            signed(c -> c.issueTime(at(Duration.ofHours(-1))).expirationTime(at(SKEW.negated()))),
            "token expired at"),
        refused(
            "not valid until a second past the skew",
            signed(c -> c.notBeforeTime(at(SKEW.plusSeconds(1)))),
            "token not valid before"),
        refused(
            "issued a second past the skew from now",
            signed(
                c -> c.issueTime(at(SKEW.plusSeconds(1))).expirationTime(at(Duration.ofHours(1)))),
            "token issued in the future"),
        refused(
            "lives a second longer than max_token_lifetime",
            signed(c -> c.expirationTime(at(MAX_LIFETIME.plusSeconds(1)))),
            "token lifetime exceeds max_token_lifetime of issuer idp"),
        refused(
            "without iat, counted from nbf",
            signed(
                c ->
                    c.issueTime(null)
                        .notBeforeTime(at(Duration.ofMinutes(-1)))
                        .expirationTime(at(MAX_LIFETIME))),
            "token lifetime exceeds"),
        refused(
            "without iat or nbf, counted from now",
            signed(c -> c.issueTime(null).expirationTime(at(MAX_LIFETIME.plusSeconds(1)))),
            "token lifetime exceeds"),
        refused(
            "another audience", signed(c -> c.audience("someone-else")), "audience [someone-else]"),
        refused(
            "no audience", signed(c -> c.audience((String) null)), "audience [] does not contain"),
        refused("no sub", signed(c -> c.subject(null)), "token has no sub"),
        refused("blank sub", signed(c -> c.subject(" ")), "token has no sub"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusals")
  void eachBadTokenIsRefusedForItsOwnReason(String name, Supplier<String> token, String reason)
      throws Exception {
    ListAppender<ILoggingEvent> log = capture();
    try {
      Throwable e = failure(token.get());

      assertThat(e).isInstanceOf(StintException.class).hasMessage(OidcTokenVerifier.GENERIC);
      assertThat(log.list)
          .singleElement()
          .extracting(ILoggingEvent::getFormattedMessage)
          .asString()
          .startsWith("token refused: " + reason);
    } finally {
      release(log);
    }
  }

  static Stream<Arguments> acceptedAtTheEdge() {
    return Stream.of(
        Arguments.of(
            "expires a skew from now, less a second",
            signed(
                c ->
                    c.issueTime(at(Duration.ofHours(-1)))
                        .expirationTime(at(SKEW.negated().plusSeconds(1))))),
        Arguments.of("valid from a skew from now", signed(c -> c.notBeforeTime(at(SKEW)))),
        Arguments.of(
            "issued a skew from now",
            signed(c -> c.issueTime(at(SKEW)).expirationTime(at(Duration.ofHours(1))))),
        Arguments.of(
            "lives exactly max_token_lifetime", signed(c -> c.expirationTime(at(MAX_LIFETIME)))),
        Arguments.of(
            "without iat or nbf, lives max_token_lifetime from now",
            signed(c -> c.issueTime(null).expirationTime(at(MAX_LIFETIME)))),
        Arguments.of("one audience, a string", signed(c -> c.audience("stint"))),
        Arguments.of(
            "exactly as large as a token may be",
            (Supplier<String>) () -> ofLength(OidcTokenVerifier.MAX_TOKEN_CHARS)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("acceptedAtTheEdge")
  void aTokenJustInsideEachLimitIsAccepted(String name, Supplier<String> token) throws Exception {
    Principal p = verifier.verify(token.get()).await(Patience.seconds(10), TimeUnit.MILLISECONDS);

    assertThat(p.subject()).isEqualTo("alice");
    assertThat(p.issuer()).isEqualTo(idp.issuer());
  }

  @Test
  void aVerifierThatRemembersTokensRefusesAMissingOneAsEmpty() throws Exception {
    OidcTokenVerifier remembering =
        new OidcTokenVerifier(
            () -> List.of(issuer), new JwksCache(WebClient.create(vertx), CLOCK), CLOCK, true);
    ListAppender<ILoggingEvent> log = capture();
    try {
      Throwable e = failure(remembering, null);

      assertThat(e).isInstanceOf(StintException.class).hasMessage(OidcTokenVerifier.GENERIC);
      assertThat(log.list)
          .singleElement()
          .extracting(ILoggingEvent::getFormattedMessage)
          .isEqualTo("token refused: empty token");
    } finally {
      release(log);
    }
  }

  private static Throwable failure(String token) throws Exception {
    return failure(verifier, token);
  }

  private static Throwable failure(OidcTokenVerifier verifier, String token) throws Exception {
    try {
      verifier
          .verify(token)
          .toCompletionStage()
          .toCompletableFuture()
          .get(Patience.seconds(10), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError("the token was accepted");
  }

  /**
   * A good token of exactly {@code length} characters: a padding claim brings it near, and a header
   * parameter of a few characters makes up what base64 steps over. A signature's length is the
   * key's, so the padding is found on the unsigned parts and the token signed once.
   */
  static String ofLength(int length) {
    String base = sign(KEY, claims().build());
    int signature = base.length() - base.lastIndexOf('.');
    int estimate = (length - base.length()) * 3 / 4;
    for (int pad = Math.max(0, estimate - 40); pad <= estimate + 8; pad++) {
      for (int extra = 0; extra < 4; extra++) {
        JWSHeader header = rs256().customParam("p", "x".repeat(extra)).build();
        JWTClaimsSet padded = claims().claim("pad", "x".repeat(pad)).build();
        if (new SignedJWT(header, padded).getSigningInput().length + signature == length) {
          String token = sign(KEY, header, padded);
          assertThat(token).hasSize(length);
          return token;
        }
      }
    }
    throw new IllegalStateException("no token of " + length + " characters");
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

  static ListAppender<ILoggingEvent> capture() {
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    ((Logger) LoggerFactory.getLogger(OidcTokenVerifier.class)).addAppender(appender);
    return appender;
  }

  static void release(ListAppender<ILoggingEvent> appender) {
    ((Logger) LoggerFactory.getLogger(OidcTokenVerifier.class)).detachAppender(appender);
  }
}
