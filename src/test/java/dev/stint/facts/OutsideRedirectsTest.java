package dev.stint.facts;

import static dev.stint.facts.PagerDutyOnCallsTest.failure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.testing.MutableClock;
import dev.stint.testing.Patience;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.client.WebClient;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A provider that answers with a redirect, {@code Location} and all: the lookup fails on the
 * redirect itself, and the provider's token never reaches the place it points to, whatever the
 * method (the facts endpoint POSTs, PagerDuty and Jira GET) and whichever redirect it is.
 */
class OutsideRedirectsTest {
  static final String TOKEN = "s3cr3t-provider-token-0123456789";

  final Vertx vertx = Vertx.vertx();
  final WebClient web = WebClient.create(vertx);
  final List<String> reachedElsewhere = new CopyOnWriteArrayList<>();
  HttpServer elsewhere;
  HttpServer redirecting;
  int status;

  @BeforeEach
  void start() throws Exception {
    elsewhere =
        vertx
            .createHttpServer()
            .requestHandler(
                r -> {
                  reachedElsewhere.add(
                      r.method() + " " + r.uri() + " " + r.getHeader("Authorization"));
                  r.response()
                      .putHeader("Content-Type", "application/json")
                      .end("{\"value\": true, \"oncalls\": [], \"more\": false}");
                })
            .listen(0, "127.0.0.1")
            .await(Patience.seconds(10), TimeUnit.MILLISECONDS);
    redirecting =
        vertx
            .createHttpServer()
            .requestHandler(
                r ->
                    r.response()
                        .setStatusCode(status)
                        .putHeader(
                            "Location", "http://127.0.0.1:" + elsewhere.actualPort() + r.uri())
                        .end())
            .listen(0, "127.0.0.1")
            .await(Patience.seconds(10), TimeUnit.MILLISECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(Patience.seconds(10), TimeUnit.MILLISECONDS);
  }

  URI provider() {
    return URI.create("http://127.0.0.1:" + redirecting.actualPort() + "/");
  }

  LookupSettings settings() {
    return new LookupSettings(
        Patience.LOOKUP,
        Duration.ofSeconds(30),
        new MutableClock(Instant.parse("2026-11-26T12:00:00Z")));
  }

  @ParameterizedTest
  @ValueSource(ints = {301, 302, 303, 307, 308})
  void thePostOfTheFactsEndpointIsNotFollowed(int redirect) throws Exception {
    status = redirect;
    HttpFacts facts = new HttpFacts(web, "team", provider(), TOKEN, settings());

    FactLookupException e = failure(facts.ask(HttpFactsTest.TEAM, HttpFactsTest.ALICE));

    assertThat(e.getMessage()).contains("answered " + redirect).doesNotContain(TOKEN);
    assertThat(reachedElsewhere).as("the token went nowhere else").isEmpty();
  }

  @ParameterizedTest
  @ValueSource(ints = {301, 302, 303, 307, 308})
  void theGetOfPagerDutyIsNotFollowed(int redirect) throws Exception {
    status = redirect;
    PagerDutyOnCalls pagerDuty = new PagerDutyOnCalls(web, provider(), TOKEN, settings());

    FactLookupException e = failure(pagerDuty.onCall("PSCHED1"));

    assertThat(e.getMessage()).contains("answered " + redirect).doesNotContain(TOKEN);
    assertThat(reachedElsewhere).as("the token went nowhere else").isEmpty();
  }
}
