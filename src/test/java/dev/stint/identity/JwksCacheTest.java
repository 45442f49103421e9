package dev.stint.identity;

import static dev.stint.testing.JwksServer.sign;
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
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Key rotation, the refetch rate limit and IdP outages, with time moved by hand. */
class JwksCacheTest {
  final MutableClock clock = new MutableClock(Instant.parse("2026-03-04T12:00:00Z"));
  final RSAKey k1 = JwksServer.rsaKey("k1");
  final RSAKey k2 = JwksServer.rsaKey("k2");
  Vertx vertx;
  JwksServer idp;
  OidcTokenVerifier verifier;
  JwksCache cache;
  final AtomicReference<List<IssuerConfig>> issuers = new AtomicReference<>();

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    idp = JwksServer.start();
    issuers.set(List.of(issuer(idp.issuer())));
    cache = new JwksCache(WebClient.create(vertx), clock);
    verifier = new OidcTokenVerifier(issuers::get, cache, clock);
  }

  @AfterEach
  void stop() throws Exception {
    idp.close();
    vertx
        .close()
        .toCompletionStage()
        .toCompletableFuture()
        .get(Patience.seconds(10), TimeUnit.MILLISECONDS);
  }

  static IssuerConfig issuer(String url) {
    return IssuerConfig.forPeople(
        "idp", url, "stint", "groups", List.of("RS256"), Duration.ofHours(24));
  }

  String token(RSAKey key) {
    Instant now = clock.instant();
    return sign(
        key,
        new JWTClaimsSet.Builder()
            .issuer(idp.issuer())
            .audience("stint")
            .subject("alice")
            .issueTime(Date.from(now))
            .expirationTime(Date.from(now.plusSeconds(300)))
            .build());
  }

  /** True when verified, false when refused with 401; anything else fails the test. */
  boolean accepted(String token) throws Exception {
    Future<Principal> f = verifier.verify(token);
    try {
      f.toCompletionStage().toCompletableFuture().get(Patience.seconds(10), TimeUnit.MILLISECONDS);
      return true;
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(StintException.class);
      assertThat(((StintException) e.getCause()).code()).isEqualTo(ErrorCode.UNAUTHENTICATED);
      assertThat(e.getCause().getMessage()).isEqualTo("invalid or untrusted token");
      return false;
    }
  }

  @Test
  void aRotatedKeyIsFetchedOnceAndUnknownKidsAreRateLimited() throws Exception {
    idp.publish(k1);
    assertThat(accepted(token(k1))).isTrue();
    assertThat(accepted(token(k1))).isTrue();
    assertThat(idp.jwksFetches()).isEqualTo(1);

    clock.advance(Duration.ofSeconds(31));
    idp.publish(k1, k2);
    assertThat(accepted(token(k2))).as("new kid fetched without restart").isTrue();
    assertThat(idp.jwksFetches()).isEqualTo(2);

    RSAKey forged = JwksServer.rsaKey("forged");
    assertThat(accepted(token(forged))).isFalse();
    assertThat(accepted(token(forged))).isFalse();
    assertThat(idp.jwksFetches()).as("unknown kid within 30 s of the last fetch").isEqualTo(2);

    clock.advance(Duration.ofSeconds(30));
    assertThat(accepted(token(forged))).isFalse();
    assertThat(idp.jwksFetches()).as("one refetch per 30 s").isEqualTo(3);
    assertThat(accepted(token(k1))).as("known keys keep working").isTrue();
  }

  @Test
  void cachedKeysServeWhileTheIssuerIsDown() throws Exception {
    idp.publish(k1);
    assertThat(accepted(token(k1))).isTrue();
    idp.down(true);
    clock.advance(JwksCache.MAX_AGE.plusMinutes(1)); // stale: a refresh is attempted and fails
    assertThat(accepted(token(k1))).isTrue();
    assertThat(accepted(token(k2))).as("a key never fetched cannot verify").isFalse();
  }

  @Test
  void anIssuerDownAtStartIsTriedAgainSoonThenLessOftenAndTrustedOnceItAnswers() throws Exception {
    idp.publish(k1);
    idp.down(true);
    assertThat(accepted(token(k1))).isFalse();
    int tries = idp.requests();
    assertThat(accepted(token(k1))).isFalse();
    assertThat(idp.requests()).as("no second try at once").isEqualTo(tries);

    clock.advance(JwksCache.FIRST_RETRY);
    assertThat(accepted(token(k1))).isFalse();
    assertThat(idp.requests()).as("tried again after the first pause").isGreaterThan(tries);
    tries = idp.requests();
    clock.advance(JwksCache.FIRST_RETRY);
    assertThat(accepted(token(k1))).isFalse();
    assertThat(idp.requests()).as("the pause doubles after a second failure").isEqualTo(tries);

    idp.down(false);
    clock.advance(JwksCache.FIRST_RETRY);
    assertThat(accepted(token(k1))).as("keys fetched once the issuer answers").isTrue();
  }

  @Test
  void anIssuerThatNeverAnswersIsTriedAtMostOnceInTheRefetchPause() throws Exception {
    idp.down(true);
    for (int i = 0; i < 12; i++) {
      assertThat(accepted(token(k1))).isFalse();
      clock.advance(JwksCache.MIN_REFETCH);
    }
    assertThat(accepted(token(k1))).isFalse();
    int tries = idp.requests();
    clock.advance(JwksCache.MIN_REFETCH.minusSeconds(1));
    assertThat(accepted(token(k1))).isFalse();
    assertThat(idp.requests()).as("the pause never grows past the refetch pause").isEqualTo(tries);
    clock.advance(Duration.ofSeconds(1));
    assertThat(accepted(token(k1))).isFalse();
    assertThat(idp.requests()).isGreaterThan(tries);
  }

  @Test
  void whatTheFetchesCameToIsKeptForReadiness() throws Exception {
    assertThat(cache.reach(idp.issuer())).isEqualTo(IssuerReach.UNTRIED);
    idp.publish(k1);
    idp.down(true);
    assertThat(accepted(token(k1))).isFalse();
    IssuerReach down = cache.reach(idp.issuer());
    assertThat(down.held()).isFalse();
    assertThat(down.failedAt()).hasValue(clock.instant());
    assertThat(down.failure()).hasValueSatisfying(f -> assertThat(f).contains("answered 503"));

    idp.down(false);
    clock.advance(JwksCache.MIN_REFETCH);
    assertThat(accepted(token(k1))).isTrue();
    Instant fetched = clock.instant();
    assertThat(cache.reach(idp.issuer()))
        .isEqualTo(new IssuerReach(Optional.of(fetched), Optional.empty(), Optional.empty()));

    idp.down(true);
    clock.advance(JwksCache.MAX_AGE.plusMinutes(1));
    assertThat(accepted(token(k1))).as("held keys keep verifying").isTrue();
    IssuerReach stale = cache.reach(idp.issuer());
    assertThat(stale.fetchedAt()).hasValue(fetched);
    assertThat(stale.failedAt()).hasValue(clock.instant());
    assertThat(stale.failing()).isTrue();
  }

  @Test
  void withdrawnKeysStopVerifyingOnceTheCacheIsRefreshed() throws Exception {
    idp.publish(k1, k2);
    assertThat(accepted(token(k1))).isTrue();
    idp.publish(k2);
    clock.advance(JwksCache.MAX_AGE.plusSeconds(1));
    assertThat(accepted(token(k1))).isFalse();
    assertThat(accepted(token(k2))).isTrue();
  }

  @Test
  void issuersFollowThePolicyInForce() throws Exception {
    idp.publish(k1);
    assertThat(accepted(token(k1))).isTrue();
    issuers.set(List.of(issuer("https://other.example.com")));
    assertThat(accepted(token(k1))).as("issuer removed by a reload").isFalse();
  }

  @Test
  void discoveryMustNameTheConfiguredIssuer() throws Exception {
    idp.publish(k1);
    // Trusting the IdP under another spelling of its URL: discovery's issuer differs.
    String alias = idp.issuer().replace("127.0.0.1", "localhost");
    issuers.set(List.of(issuer(alias)));
    String token =
        sign(
            k1,
            new JWTClaimsSet.Builder()
                .issuer(alias)
                .audience("stint")
                .subject("a")
                .issueTime(Date.from(clock.instant()))
                .expirationTime(Date.from(clock.instant().plusSeconds(60)))
                .build());
    assertThat(accepted(token)).isFalse();
    assertThat(idp.jwksFetches()).isZero();
  }
}
