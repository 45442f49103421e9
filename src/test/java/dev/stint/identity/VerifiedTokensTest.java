package dev.stint.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.stint.error.ErrorCode;
import dev.stint.error.StintException;
import dev.stint.policy.IssuerConfig;
import dev.stint.testing.JwksServer;
import dev.stint.testing.MutableClock;
import dev.stint.testing.Patience;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A token that verified is remembered briefly, and only while every reason it verified still holds:
 * the issuer still trusted with the same settings, the token unexpired, the minute not over.
 * Refusals are never remembered.
 */
class VerifiedTokensTest {
  static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z");
  static final RSAKey KEY = JwksServer.rsaKey("k1");
  static final RSAKey STRANGER = JwksServer.rsaKey("k1"); // same kid, another key

  private final Vertx vertx = Vertx.vertx();
  private final JwksServer idp = JwksServer.start();
  private final MutableClock clock = new MutableClock(T0);
  private final IssuerConfig issuer = issuer("stint");
  private final AtomicReference<List<IssuerConfig>> trusted =
      new AtomicReference<>(List.of(issuer));
  private final OidcTokenVerifier verifier =
      new OidcTokenVerifier(trusted::get, new JwksCache(WebClient.create(vertx), clock), clock);

  VerifiedTokensTest() {
    idp.publish(KEY);
  }

  @AfterEach
  void stop() throws Exception {
    idp.close();
    vertx.close().await(Patience.seconds(10), TimeUnit.MILLISECONDS);
  }

  private IssuerConfig issuer(String audience) {
    return IssuerConfig.forPeople(
        "idp",
        idp.issuer(),
        audience,
        "groups",
        IssuerConfig.DEFAULT_ALGORITHMS,
        Duration.ofHours(2));
  }

  private String token(RSAKey key, String subject, Duration lifetime) {
    return JwksServer.sign(
        key,
        new JWTClaimsSet.Builder()
            .issuer(idp.issuer())
            .audience("stint")
            .subject(subject)
            .issueTime(Date.from(T0))
            .expirationTime(Date.from(T0.plus(lifetime)))
            .build());
  }

  private Optional<Principal> verify(String token) throws Exception {
    Future<Principal> f = verifier.verify(token);
    try {
      return Optional.of(
          f.toCompletionStage()
              .toCompletableFuture()
              .get(Patience.seconds(10), TimeUnit.MILLISECONDS));
    } catch (ExecutionException e) {
      assertThat(e.getCause())
          .isInstanceOfSatisfying(
              StintException.class,
              refused -> assertThat(refused.code()).isEqualTo(ErrorCode.UNAUTHENTICATED));
      return Optional.empty();
    }
  }

  @Test
  void aTokenThatVerifiedIsRememberedAndARefusedOneIsNot() throws Exception {
    String good = token(KEY, "alice", Duration.ofMinutes(10));
    String forged = token(STRANGER, "alice", Duration.ofMinutes(10));

    assertThat(verify(good)).map(Principal::subject).contains("alice");
    assertThat(verifier.remembered()).isEqualTo(1);
    assertThat(verify(good)).map(Principal::subject).contains("alice");
    assertThat(verify(forged)).isEmpty();
    assertThat(verify(forged)).isEmpty();
    assertThat(verifier.remembered()).isEqualTo(1);
  }

  @Test
  void aRememberedTokenIsRefusedOnceItsIssuerIsNoLongerTrusted() throws Exception {
    String good = token(KEY, "alice", Duration.ofMinutes(10));
    assertThat(verify(good)).isPresent();

    trusted.set(List.of());

    assertThat(verify(good)).isEmpty();
  }

  @Test
  void aRememberedTokenIsCheckedAgainWhenItsIssuersSettingsChange() throws Exception {
    String good = token(KEY, "alice", Duration.ofMinutes(10));
    assertThat(verify(good)).isPresent();

    trusted.set(List.of(issuer("another-audience"))); // a policy reload

    assertThat(verify(good)).isEmpty();
  }

  @Test
  void aRememberedTokenExpiresLikeAnyOther() throws Exception {
    String good = token(KEY, "alice", Duration.ofMinutes(1));
    clock.advance(Duration.ofSeconds(65)); // past exp, within the 60 s skew
    assertThat(verify(good)).isPresent();

    clock.advance(Duration.ofSeconds(56)); // past exp + skew; remembered only 56 s ago

    assertThat(verify(good)).isEmpty();
  }

  @Test
  void aTokenIsRememberedForAMinuteAtMost() {
    VerifiedTokens tokens = new VerifiedTokens();
    Principal alice =
        new Principal(
            "idp",
            idp.issuer(),
            "alice",
            Optional.empty(),
            List.of(),
            Map.of(),
            T0.plus(Duration.ofHours(1)),
            Optional.empty());
    tokens.remember("t", alice, issuer, T0.plus(Duration.ofHours(1)), T0);

    assertThat(tokens.find("t", List.of(issuer), T0.plusSeconds(59))).contains(alice);
    assertThat(tokens.find("other", List.of(issuer), T0.plusSeconds(1))).isEmpty();
    assertThat(tokens.find("t", List.of(issuer), T0.minusSeconds(1))).isEmpty(); // clock went back
    tokens.remember("t", alice, issuer, T0.plus(Duration.ofHours(1)), T0);
    assertThat(tokens.find("t", List.of(issuer), T0.plus(VerifiedTokens.TTL))).isEmpty();
  }

  @Test
  void theMemoryIsBounded() {
    VerifiedTokens tokens = new VerifiedTokens();
    Principal alice =
        new Principal(
            "idp",
            idp.issuer(),
            "alice",
            Optional.empty(),
            List.of(),
            Map.of(),
            T0.plus(Duration.ofHours(1)),
            Optional.empty());
    for (int i = 0; i < VerifiedTokens.MAX_ENTRIES + 5; i++) {
      tokens.remember("t" + i, alice, issuer, T0.plus(Duration.ofHours(1)), T0);
    }

    assertThat(tokens.size()).isLessThanOrEqualTo(VerifiedTokens.MAX_ENTRIES);
    assertThat(tokens.find("t" + (VerifiedTokens.MAX_ENTRIES + 4), List.of(issuer), T0))
        .contains(alice);
  }
}
