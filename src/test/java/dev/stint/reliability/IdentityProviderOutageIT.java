package dev.stint.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.stint.identity.JwksCache;
import dev.stint.testing.JwksServer;
import dev.stint.testing.LoadDriver;
import dev.stint.testing.MutableClock;
import dev.stint.testing.TestPostgres;
import dev.stint.testing.TestServer;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The identity provider goes away while stint serves: tokens signed with keys stint already holds
 * keep verifying (also past the keys' refresh age), and a flood of tokens naming an unknown {@code
 * kid} is refused without a storm of refetches against the IdP.
 */
class IdentityProviderOutageIT {
  static final RSAKey KEY = JwksServer.rsaKey("k1");
  static final RSAKey STRANGER = JwksServer.rsaKey("unknown-kid");
  static final MutableClock CLOCK = new MutableClock(Instant.now());
  static JwksServer idp;
  static TestServer server;

  @BeforeAll
  static void start() {
    idp = JwksServer.start();
    idp.publish(KEY);
    server =
        TestServer.start(
            TestPostgres.migratedDatabase(),
            Map.of(),
            """
        issuers:
          idp: {issuer: '%s', audience: stint}
        profiles: {}
        """
                .formatted(idp.issuer()),
            CLOCK);
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    idp.close();
  }

  /** Valid for an hour from the test clock, so it stays valid as the clock moves. */
  static String token(RSAKey key) {
    Instant now = CLOCK.instant();
    return JwksServer.sign(
        key,
        new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
        new JWTClaimsSet.Builder()
            .issuer(idp.issuer())
            .audience("stint")
            .subject("alice")
            .issueTime(Date.from(now))
            .expirationTime(Date.from(now.plusSeconds(3600)))
            .build());
  }

  @Test
  void cachedKeysKeepVerifyingAndUnknownKidsCauseNoRefetchStorm() throws Exception {
    String good = token(KEY);
    assertThat(server.get("/v1/whoami", good).statusCode()).isEqualTo(200);
    int afterWarm = idp.requests();
    assertThat(afterWarm).as("discovery + JWKS").isEqualTo(2);

    idp.down(true); // the IdP answers 503 to everything
    LoadDriver.Result forged;
    LoadDriver.Result genuine;
    String unknownKid = token(STRANGER);
    try (LoadDriver driver = new LoadDriver()) {
      forged =
          driver.run(
              LoadDriver.Target.get(server.uri("/v1/whoami"), unknownKid),
              16,
              Duration.ofSeconds(2));
      genuine =
          driver.run(
              LoadDriver.Target.get(server.uri("/v1/whoami"), good), 8, Duration.ofSeconds(1));
    }
    assertThat(forged.byStatus().keySet()).as(forged.toString()).containsOnly(401);
    assertThat(forged.count(401)).isGreaterThan(50);
    assertThat(genuine.byStatus().keySet()).as(genuine.toString()).containsOnly(200);
    assertThat(idp.requests() - afterWarm)
        .as("%d forged tokens within 30 s cause at most one refetch attempt", forged.count(401))
        .isLessThanOrEqualTo(1);

    // Past the keys' refresh age, with the IdP still down: the held keys keep serving.
    CLOCK.advance(JwksCache.MAX_AGE.plusMinutes(1));
    int beforeStale = idp.requests();
    for (int i = 0; i < 20; i++) {
      assertThat(server.get("/v1/whoami", good).statusCode()).isEqualTo(200);
      assertThat(server.get("/v1/whoami", unknownKid).statusCode()).isEqualTo(401);
    }
    assertThat(idp.requests() - beforeStale)
        .as("one refresh attempt per 30 s")
        .isLessThanOrEqualTo(1);

    // The IdP process is gone altogether (connection refused), and time moves on again.
    idp.close();
    CLOCK.advance(JwksCache.MIN_REFETCH.plusSeconds(1));
    assertThat(server.get("/v1/whoami", good).statusCode()).isEqualTo(200);
    assertThat(server.get("/v1/whoami", unknownKid).statusCode()).isEqualTo(401);
  }
}
