package dev.stint.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.stint.error.ErrorCode;
import dev.stint.error.StintException;
import dev.stint.identity.JwksCache;
import dev.stint.identity.OidcTokenVerifier;
import dev.stint.identity.Principal;
import dev.stint.policy.IssuerConfig;
import dev.stint.policy.Policy;
import dev.stint.policy.PolicyException;
import dev.stint.policy.PolicyLoader;
import dev.stint.testing.JwksServer;
import dev.stint.testing.Patience;
import dev.stint.testing.TempDirs;
import dev.stint.testing.TestPostgres;
import dev.stint.testing.TestServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Fuzzing (jqwik) of what stint parses from strangers: bearer tokens (through the verifier and
 * through the HTTP API) and policy files. A token is either accepted or refused as 401 {@code
 * unauthenticated}; no exception escapes and no answer is a 500. A policy file either loads or is
 * refused with a {@link PolicyException} that lists the problems.
 */
class FuzzIT {
  static final RSAKey KEY = JwksServer.rsaKey("k1");
  static Vertx vertx;
  static JwksServer idp;
  static OidcTokenVerifier verifier;
  static TestServer server;

  @BeforeContainer
  static void start() {
    vertx = Vertx.vertx();
    idp = JwksServer.start();
    idp.publish(KEY);
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
            Clock.systemUTC());
    server =
        TestServer.start(
            TestPostgres.migratedDatabase(),
            Map.of(),
            """
        issuers:
          idp: {issuer: '%s', audience: stint}
        profiles: {}
        """
                .formatted(idp.issuer()));
  }

  @AfterContainer
  static void stop() throws Exception {
    server.close();
    idp.close();
    vertx.close().await(Patience.seconds(10), TimeUnit.MILLISECONDS);
  }

  // ---- tokens -------------------------------------------------------------------------------

  /** JSON values of every shape, including the ones a JOSE header must never be. */
  @Provide
  Arbitrary<String> json() {
    return Arbitraries.oneOf(
        Arbitraries.of(
            "null",
            "[]",
            "[null]",
            "1",
            "-0",
            "1e999",
            "true",
            "\"RS256\"",
            "{}",
            "{\"alg\":null}",
            "{\"alg\":1}",
            "{\"alg\":[\"RS256\"]}",
            "{\"alg\":\"none\"}",
            "{\"alg\":\"RS256\",\"kid\":7}",
            "{\"alg\":\"RS256\",\"kid\":null}",
            "{\"alg\":\"RS256\",\"crit\":\"exp\"}",
            "{\"alg\":\"RS256\",\"crit\":[1]}",
            "{\"alg\":\"RS256\",\"jwk\":\"x\"}",
            "{\"alg\":\"RS256\",\"typ\":{}}",
            "{\"alg\":\"HS256\"}",
            "{\"alg\":\"RSA-OAEP\",\"enc\":\"A128GCM\"}",
            "{\"alg\":\"RS256\",\"b64\":false,\"crit\":[\"b64\"]}",
            "{\"alg\":\"RS256\"",
            "{\"alg\":\"RS256\",\"alg\":\"ES256\"}",
            "{\"iss\":null,\"aud\":{},\"exp\":\"x\"}",
            "{\"iss\":[],\"sub\":1,\"exp\":-1}",
            "{\"exp\":1e400}",
            "{\"groups\":{}}"),
        Arbitraries.strings().ofMaxLength(60));
  }

  @Provide
  Arbitrary<String> tokens() {
    Arbitrary<String> part =
        Arbitraries.oneOf(
            json().map(j -> Base64URL.encode(j.getBytes(StandardCharsets.UTF_8)).toString()),
            Arbitraries.strings().withChars("AZaz09-_=+/.%").ofMaxLength(40),
            Arbitraries.just(""));
    Arbitrary<String> dotted =
        Combinators.combine(part.list().ofMinSize(1).ofMaxSize(6), Arbitraries.of(".", "..", " "))
            .as((parts, sep) -> String.join(sep, parts));
    return Arbitraries.oneOf(dotted, Arbitraries.strings().ofMaxLength(200), mutatedGoodToken());
  }

  /** A real token with a few characters changed: signature and structure checks at the edge. */
  Arbitrary<String> mutatedGoodToken() {
    String good = goodToken();
    return Combinators.combine(
            Arbitraries.integers().between(0, good.length() - 1),
            Arbitraries.chars().with('.', 'A', '-', '_', '%', '=', '\u00e9', '\0'))
        .as((at, c) -> good.substring(0, at) + c + good.substring(at + 1));
  }

  static String goodToken() {
    Instant now = Instant.now();
    return JwksServer.sign(
        KEY,
        new JWTClaimsSet.Builder()
            .issuer(idp.issuer())
            .audience("stint")
            .subject("alice")
            .issueTime(Date.from(now))
            .expirationTime(Date.from(now.plusSeconds(600)))
            .build());
  }

  @Property(tries = 1000)
  void theVerifierRefusesGarbageWithoutThrowing(@ForAll("tokens") String token) throws Exception {
    Future<Principal> verified;
    try {
      verified = verifier.verify(token);
    } catch (RuntimeException e) {
      throw new AssertionError("verify threw instead of refusing: " + e, e);
    }
    Throwable outcome = outcome(verified);
    // Accepted only when the mutation changed nothing that is signed (the same character, or
    // spare bits of the signature's last base64url character); otherwise a 401-kind refusal.
    if (outcome != null) {
      assertThat(outcome).as("token %s", token).isInstanceOf(StintException.class);
      assertThat(((StintException) outcome).code()).isEqualTo(ErrorCode.UNAUTHENTICATED);
    }
  }

  @Example
  void aJoseHeaderThatIsJsonNullIsRefused() throws Exception {
    String nullHeader =
        Base64URL.encode("null").toString()
            + "."
            + Base64URL.encode("{\"iss\":\"x\"}").toString()
            + ".c2ln";
    Throwable outcome = outcome(verifier.verify(nullHeader));
    assertThat(outcome).isInstanceOf(StintException.class);
    assertThat(((StintException) outcome).code()).isEqualTo(ErrorCode.UNAUTHENTICATED);
    HttpResponse<String> r = server.get("/v1/whoami", nullHeader);
    assertThat(r.statusCode()).isEqualTo(401);
  }

  @Example
  void theGoodTokenIsAccepted() throws Exception {
    assertThat(outcome(verifier.verify(goodToken()))).isNull();
  }

  @Property(tries = 200)
  void theApiAnswersGarbageTokensWith401(@ForAll("tokens") String token) throws Exception {
    // Header values must be visible ASCII for the HTTP client; the server sees the rest as-is.
    String header =
        token.chars().allMatch(c -> c >= 0x21 && c < 0x7f)
            ? token
            : "x" + token.replaceAll("[^\\x21-\\x7e]", "");
    HttpResponse<String> r =
        server.send(
            HttpRequest.newBuilder(server.uri("/v1/whoami"))
                .header("Authorization", "Bearer " + header)
                .GET()
                .build());
    boolean valid = outcome(verifier.verify(header)) == null;
    assertThat(r.statusCode()).as("token %s: %s", header, r.body()).isEqualTo(valid ? 200 : 401);
    if (!valid) {
      assertThat(r.body()).contains("\"code\":\"unauthenticated\"");
    }
  }

  /** The failure of a verification (null when it succeeded); it must settle promptly. */
  private static Throwable outcome(Future<Principal> f) throws Exception {
    try {
      f.toCompletionStage().toCompletableFuture().get(Patience.seconds(10), TimeUnit.MILLISECONDS);
      return null;
    } catch (ExecutionException e) {
      return e.getCause();
    }
  }

  // ---- policies -----------------------------------------------------------------------------

  static final String BASE_POLICY =
      """
      admins: 'principal.groups.exists(g, g == "platform")'
      auditors: 'principal.groups.exists(g, g == "security")'
      issuers:
        corp: {issuer: "https://login.example.com", audience: stint, groups_claim: groups}
        github: {issuer: "https://token.actions.githubusercontent.com", audience: stint}
      login: {issuer: corp, client_id: stint}
      profiles:
        prod:
          description: Production admin
          aws: {role_arn: "arn:aws:iam::111122223333:role/prod-admin", mode: assume_role}
          max_duration: 2h
          requesters: 'principal.groups.exists(g, g == "eng")'
          approval:
            count: 2
            approvers: 'principal.groups.exists(g, g == "sre")'
            auto_approve: 'principal.groups.exists(g, g == "oncall")'
          reason: {required: true, pattern: '^INC-[0-9]+'}
          break_glass: true
        viewer:
          gcp: {service_account: viewer@acme-prod.iam.gserviceaccount.com, scopes: [cloud-platform]}
          max_duration: 1h
          requesters: 'true'
          approval: {count: 1, approvers: 'true'}
      ci:
        deploy:
          issuer: github
          profile: prod
          when: 'claims.repository == "acme/api" && claims.ref == "refs/heads/main"'
          max_duration: 30m
          approval: none
      """;

  @Provide
  Arbitrary<String> policies() {
    return Combinators.combine(
            Arbitraries.integers().between(0, BASE_POLICY.length() - 1),
            Arbitraries.integers().between(0, 8),
            Arbitraries.of(
                "",
                " ",
                "  ",
                "\t",
                ":",
                "-",
                "'",
                "\"",
                "{",
                "}",
                "[",
                "]",
                "#",
                "&a",
                "*a",
                "!!binary x",
                "\n",
                "null",
                "~",
                "0",
                "-1",
                "99999999999999999999",
                "1e309",
                "2h",
                "P1D",
                "<<: *a",
                "?",
                "|",
                ">",
                "%",
                "@",
                "`",
                ")",
                "(",
                "\\",
                "\u0000",
                "\uFFFF",
                "size(",
                "claims.",
                "principal.groups.exists(g, "),
            Arbitraries.integers().between(1, 3))
        .as(
            (at, cut, insert, times) -> {
              String s = BASE_POLICY;
              for (int i = 0; i < times; i++) {
                int from = Math.min((at * (i + 1)) % s.length(), s.length());
                int to = Math.min(from + cut, s.length());
                s = s.substring(0, from) + insert + s.substring(to);
              }
              return s;
            });
  }

  @Property(tries = 200)
  void aPolicyFileLoadsOrIsRefusedWithReasons(@ForAll("policies") String text) throws Exception {
    Path dir = TempDirs.create("stint-fuzz-policy");
    try {
      Files.writeString(dir.resolve("policy.yaml"), text, StandardCharsets.UTF_8);
      try {
        Policy loaded = new PolicyLoader().load(dir);
        assertThat(loaded).isNotNull();
      } catch (PolicyException e) {
        assertThat(e.problems()).as("a refusal names its problems").isNotEmpty();
      } catch (RuntimeException | StackOverflowError e) {
        throw new AssertionError("policy load threw " + e + " for:\n" + text, e);
      }
    } finally {
      TestPostgres.deleteTree(dir);
    }
  }

  @Example
  void theUnmutatedPolicyLoads() throws Exception {
    Path dir = TempDirs.create("stint-fuzz-policy");
    try {
      Files.writeString(dir.resolve("policy.yaml"), BASE_POLICY);
      assertThat(new PolicyLoader().load(dir).profiles()).containsKeys("prod", "viewer");
    } finally {
      TestPostgres.deleteTree(dir);
    }
  }
}
