package dev.stint.bench;

import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.stint.identity.JwksCache;
import dev.stint.identity.OidcTokenVerifier;
import dev.stint.identity.Principal;
import dev.stint.policy.IssuerConfig;
import dev.stint.testing.JwksServer;
import dev.stint.testing.Patience;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Token verification with a warm JWKS cache: what every authenticated request pays (parse, header
 * checks, key selection, RS256 signature, claims) — no network once keys are cached.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TokenVerifyBench {
  private Vertx vertx;
  private JwksServer idp;
  private OidcTokenVerifier verifier;
  private OidcTokenVerifier remembering;
  private String token;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    vertx = Vertx.vertx();
    RSAKey key = JwksServer.rsaKey("k1");
    idp = JwksServer.start();
    idp.publish(key);
    IssuerConfig issuer =
        IssuerConfig.forPeople(
            "idp",
            idp.issuer(),
            "stint",
            "groups",
            IssuerConfig.DEFAULT_ALGORITHMS,
            Duration.ofHours(2));
    verifier =
        new OidcTokenVerifier(
            () -> List.of(issuer),
            new JwksCache(WebClient.create(vertx), Clock.systemUTC()),
            Clock.systemUTC(),
            false);
    remembering =
        new OidcTokenVerifier(
            () -> List.of(issuer),
            new JwksCache(WebClient.create(vertx), Clock.systemUTC()),
            Clock.systemUTC());
    Instant now = Instant.now();
    token =
        JwksServer.sign(
            key,
            new JWTClaimsSet.Builder()
                .issuer(idp.issuer())
                .audience("stint")
                .subject("alice")
                .claim("email", "alice@example.com")
                .claim("groups", List.of("eng", "oncall"))
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(3600)))
                .build());
    // Warm the JWKS cache: the benchmark measures verification, not the fetch.
    verifier
        .verify(token)
        .toCompletionStage()
        .toCompletableFuture()
        .get(Patience.seconds(10), TimeUnit.MILLISECONDS);
    remembering
        .verify(token)
        .toCompletionStage()
        .toCompletableFuture()
        .get(Patience.seconds(10), TimeUnit.MILLISECONDS);
  }

  /** The full verification: what a token stint has not seen in the last minute costs. */
  @Benchmark
  public Principal verifyWithWarmJwksCache() {
    return now(verifier.verify(token));
  }

  /** The same token again within a minute, as the server does it by default. */
  @Benchmark
  public Principal verifyRepeatedToken() {
    return now(remembering.verify(token));
  }

  private static Principal now(Future<Principal> f) {
    if (!f.succeeded()) {
      throw new IllegalStateException(
          "expected a synchronous success with cached keys: " + f.cause());
    }
    return f.result();
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    idp.close();
    vertx.close().await(Patience.seconds(10), TimeUnit.MILLISECONDS);
  }
}
