package dev.stint.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.stint.identity.JwksCache;
import dev.stint.testing.Eventually;
import dev.stint.testing.JwksServer;
import dev.stint.testing.MutableClock;
import dev.stint.testing.TestPostgres;
import dev.stint.testing.TestServer;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A server whose identity provider cannot be reached is not ready, and says which and why in {@code
 * /readyz} and in its boot log; one whose IdP answered is ready, and stays ready with a warning
 * when that IdP goes down later, since the keys it holds keep verifying.
 */
class IssuerReadinessServerTest {
  static final Duration WAIT = Duration.ofSeconds(60);
  final ListAppender<ILoggingEvent> log = new ListAppender<>();

  @BeforeEach
  void capture() {
    log.start();
    ((Logger) LoggerFactory.getLogger(IssuerWatch.class)).addAppender(log);
  }

  @AfterEach
  void release() {
    ((Logger) LoggerFactory.getLogger(IssuerWatch.class)).detachAppender(log);
  }

  static String policy(String issuerUrl) {
    return """
        issuers:
          corp: {issuer: '%s', audience: stint}
        profiles: {}
        """
        .formatted(issuerUrl);
  }

  static TestServer serve(String issuerUrl, MutableClock clock) {
    return TestServer.start(TestPostgres.migratedDatabase(), Map.of(), policy(issuerUrl), clock);
  }

  /** An address where nothing listens: a port just bound and let go. */
  static String nobodyListens() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return "http://127.0.0.1:" + socket.getLocalPort();
    }
  }

  /** /readyz once the issuers check has heard from every issuer (the boot waits a while for it). */
  static HttpResponse<String> readyzOnceAsked(TestServer server) throws Exception {
    return Eventually.get(
        "the issuers check to have asked every issuer",
        WAIT,
        () -> {
          HttpResponse<String> r = server.get("/readyz");
          String issuers = new JsonObject(r.body()).getJsonObject("checks").getString("issuers");
          return issuers.contains("not reached yet") ? Optional.empty() : Optional.of(r);
        });
  }

  @Test
  void anIssuerNobodyAnswersForIsNotReadyNamingItsUrlAndWhy() throws Exception {
    String url = nobodyListens();
    try (TestServer server = serve(url, new MutableClock(Instant.now()))) {
      HttpResponse<String> r = readyzOnceAsked(server);

      assertThat(r.statusCode()).isEqualTo(503);
      JsonObject body = new JsonObject(r.body());
      assertThat(body.getString("status")).isEqualTo("unavailable");
      assertThat(body.getJsonObject("checks").getString("issuers"))
          .startsWith("no identity provider for people can be reached: corp (" + url + "): ")
          .contains("its keys could not be fetched (the server's log says why)")
          .as("/readyz, which anyone may ask, never carries a fetch's error")
          .doesNotContain("Connection refused");
      assertThat(body.getJsonObject("checks").getString("database")).isEqualTo("ok");
      assertThat(body.getJsonObject("checks").getString("policies")).isEqualTo("ok");
      // The boot says it too, with what to configure and where.
      assertThat(log.list)
          .filteredOn(e -> e.getLevel() == Level.ERROR)
          .extracting(ILoggingEvent::getFormattedMessage)
          .anySatisfy(
              m ->
                  assertThat(m)
                      .startsWith("nobody can sign in: no identity provider for people")
                      .contains("corp (" + url + "): Connection refused")
                      .contains("/readyz answers 503")
                      .contains("issuers: in " + server.policiesDir().toAbsolutePath())
                      .contains("docs/configuration.md"));
    }
  }

  @Test
  void thePlaceholderOfTheShippedPolicyIsNamedAsOne() throws Exception {
    try (TestServer server = serve("https://login.example.com", new MutableClock(Instant.now()))) {
      HttpResponse<String> r = readyzOnceAsked(server);

      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(new JsonObject(r.body()).getJsonObject("checks").getString("issuers"))
          .contains(
              "corp (https://login.example.com, a placeholder: no identity provider is there)");
    }
  }

  @Test
  void anIssuerThatAnswersIsReadyAndAWarningOnceItStopsAnswering() throws Exception {
    RSAKey key = JwksServer.rsaKey("k1");
    MutableClock clock = new MutableClock(Instant.now());
    try (JwksServer idp = JwksServer.start()) {
      idp.publish(key);
      try (TestServer server = serve(idp.issuer(), clock)) {
        HttpResponse<String> r = readyzOnceAsked(server);

        assertThat(r.statusCode()).isEqualTo(200);
        JsonObject body = new JsonObject(r.body());
        assertThat(body.getJsonObject("checks").getString("issuers")).isEqualTo("ok");
        assertThat(body.containsKey("warnings")).isFalse();
        assertThat(log.list)
            .extracting(ILoggingEvent::getFormattedMessage)
            .contains("every issuer of the policy answers: corp");

        // The IdP goes down; the next fetch, due once the keys are old, fails.
        idp.down(true);
        clock.advance(JwksCache.MAX_AGE.plusMinutes(1));
        String token = token(key, idp.issuer(), clock);
        assertThat(server.get("/v1/whoami", token).statusCode()).isEqualTo(200);

        HttpResponse<String> down = server.get("/readyz");
        assertThat(down.statusCode()).isEqualTo(200);
        JsonObject downBody = new JsonObject(down.body());
        assertThat(downBody.getJsonObject("checks").getString("issuers")).isEqualTo("ok");
        assertThat(downBody.getJsonObject("warnings").getString("issuers"))
            .startsWith("corp (" + idp.issuer() + "): keys fetched at ")
            .contains("still verify; fetching again failed at")
            .contains("the server's log says why")
            .doesNotContain("answered 503");
      }
    }
  }

  static String token(RSAKey key, String issuer, MutableClock clock) {
    Instant now = clock.instant();
    return JwksServer.sign(
        key,
        new JWTClaimsSet.Builder()
            .issuer(issuer)
            .audience(List.of("stint"))
            .subject("alice")
            .issueTime(Date.from(now))
            .expirationTime(Date.from(now.plusSeconds(300)))
            .build());
  }
}
