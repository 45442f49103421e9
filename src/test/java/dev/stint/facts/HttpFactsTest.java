package dev.stint.facts;

import static dev.stint.facts.PagerDutyOnCallsTest.answer;
import static dev.stint.facts.PagerDutyOnCallsTest.failure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stint.policy.FactCall;
import dev.stint.policy.FactContext;
import dev.stint.policy.FactNeeds;
import dev.stint.policy.FactValues;
import dev.stint.standin.HttpFactStandIn;
import dev.stint.testing.MutableClock;
import dev.stint.testing.Patience;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The server's own facts over HTTP against a loopback provider: the exact question sent, the answer
 * read only as a JSON boolean from a 2xx, every other answer a failure that names the provider and
 * never its token, a timeout per lookup, a cap on the answer, the cache per question.
 */
class HttpFactsTest {
  static final String TOKEN = "s3cr3t-provider-token-0123456789";
  static final FactCall TEAM = FactCall.of("team", "payments");

  static final FactContext ALICE =
      new FactContext(
          new FactContext.Who(
              "https://login.example.com",
              "alice",
              Optional.of("alice@example.com"),
              Optional.of(List.of("eng", "sre"))),
          Optional.of(
              new FactContext.Asked(
                  Optional.empty(),
                  "prod",
                  "INC-42 payments down",
                  Optional.of("CHG-7"),
                  Duration.ofMinutes(30))));

  final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T12:00:00Z"));
  final Vertx vertx = Vertx.vertx();
  final WebClient web = WebClient.create(vertx);
  final HttpFactStandIn provider = new HttpFactStandIn(TOKEN);

  @AfterEach
  void stop() throws Exception {
    provider.close();
    vertx.close().await(Patience.seconds(10), TimeUnit.MILLISECONDS);
  }

  HttpFacts facts(String token, Duration timeout) {
    return new HttpFacts(
        web,
        "team",
        provider.uri(),
        token,
        new LookupSettings(timeout, Duration.ofSeconds(30), clock));
  }

  HttpFacts facts() {
    return facts(TOKEN, Patience.LOOKUP);
  }

  @Test
  void theQuestionIsTheFactThePersonAndTheRequestAndTheAnswerIsItsValue() throws Exception {
    provider.answer("team", "payments", true);
    assertThat(answer(facts().ask(TEAM, ALICE))).isTrue();
    assertThat(provider.received())
        .singleElement()
        .isEqualTo(
            new JsonObject(
                """
                {"fact": "team", "argument": "payments",
                 "principal": {"issuer": "https://login.example.com", "subject": "alice",
                               "email": "alice@example.com", "groups": ["eng", "sre"]},
                 "request": {"id": null, "profile": "prod", "reason": "INC-42 payments down",
                             "ticket": "CHG-7", "duration_seconds": 1800}}
                """));
    assertThat(answer(facts().ask(FactCall.of("team", "ops"), ALICE))).isFalse();
  }

  @Test
  void whatIsNotKnownIsSentAsNull() throws Exception {
    FactContext bare =
        new FactContext(
            new FactContext.Who("https://idp", "bob", Optional.empty(), Optional.empty()),
            Optional.empty());
    answer(facts().ask(FactCall.of("team"), bare));
    JsonObject sent = provider.received().get(0);
    assertThat(sent.containsKey("argument")).isTrue();
    assertThat(sent.getValue("argument")).isNull();
    assertThat(sent.getJsonObject("principal").getValue("email")).isNull();
    assertThat(sent.getJsonObject("principal").getValue("groups")).isNull();
    assertThat(sent.getValue("request")).isNull();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "200 | {\"value\": \"true\"} | a malformed /value (expected true or false)",
        "200 | {\"value\": 1} | a malformed /value (expected true or false)",
        "200 | {\"value\": null} | a malformed /value (expected true or false)",
        "200 | {} | a malformed /value (expected true or false)",
        "200 | [true] | a malformed body (expected an object)",
        "200 | true | a malformed body (expected an object)",
        "200 | value=true | a malformed body (expected an object)",
        "200 | '' | a malformed body (expected an object)",
        "200 | {\"value\": false, \"value\": true} | a malformed body (expected an object)",
        "401 | {\"value\": true} | facts.http.team answered 401",
        "500 | {\"value\": true} | facts.http.team answered 500",
        "302 | {\"value\": true} | facts.http.team answered 302",
      })
  void anythingButAJsonBooleanFromA2xxFails(int status, String body, String why) throws Exception {
    provider.answer("team", "payments", true);
    provider.answerInstead(status, body);
    FactLookupException e = failure(facts().ask(TEAM, ALICE));
    assertThat(e.getMessage()).contains(why).doesNotContain(TOKEN);
  }

  @Test
  void aWrongTokenIsRefusedAndTheMessageNeverHoldsTheToken() throws Exception {
    provider.answer("team", "payments", true);
    FactLookupException e = failure(facts("wrong-" + TOKEN, Patience.LOOKUP).ask(TEAM, ALICE));
    assertThat(e.getMessage()).isEqualTo("facts.http.team answered 401").doesNotContain(TOKEN);
    assertThat(facts().toString()).doesNotContain(TOKEN);
  }

  @Test
  void aTooLargeAnswerFails() throws Exception {
    provider.answerInstead(200, "{\"value\": true, \"pad\": \"" + "x".repeat(20_000) + "\"}");
    assertThat(failure(facts().ask(TEAM, ALICE)).getMessage())
        .isEqualTo("facts.http.team answered 200 with a body larger than 16384 bytes");
  }

  @Test
  void aProviderThatDoesNotAnswerFailsAtTheTimeout() throws Exception {
    provider.answer("team", "payments", true);
    // Later than the test waits: the failure can only come from the timeout, however slow the host.
    provider.delay(Duration.ofHours(1));
    FactLookupException e = failure(facts(TOKEN, Duration.ofSeconds(1)).ask(TEAM, ALICE));
    assertThat(e.getMessage()).isEqualTo("facts.http.team did not answer within 1000 ms");
  }

  @Test
  void theSameQuestionIsAnsweredFromTheCacheAndAnotherIsAskedAgain() throws Exception {
    provider.answer("team", "payments", true);
    HttpFacts facts = facts();
    assertThat(answer(facts.ask(TEAM, ALICE))).isTrue();
    provider.answer("team", "payments", false);
    assertThat(answer(facts.ask(TEAM, ALICE))).as("kept").isTrue();
    assertThat(provider.calls()).isEqualTo(1);

    FactContext otherTicket =
        new FactContext(
            ALICE.who(),
            ALICE
                .request()
                .map(
                    r ->
                        new FactContext.Asked(
                            r.id(), r.profile(), r.reason(), Optional.of("CHG-8"), r.duration())));
    assertThat(answer(facts.ask(TEAM, otherTicket)))
        .as("an answer about one request is never another's")
        .isFalse();
    assertThat(provider.calls()).isEqualTo(2);

    clock.advance(Duration.ofSeconds(31));
    assertThat(answer(facts.ask(TEAM, ALICE))).as("asked again once old").isFalse();
    assertThat(provider.calls()).isEqualTo(3);
  }

  @Test
  void aThrottledProviderIsLeftAloneUntilItSays() throws Exception {
    provider.throttle(1, Duration.ofSeconds(20));
    HttpFacts facts = facts();
    assertThat(failure(facts.ask(TEAM, ALICE)).getMessage())
        .isEqualTo("facts.http.team answered 429");
    assertThat(failure(facts.ask(FactCall.of("team", "ops"), ALICE)).getMessage())
        .contains("not asked again before");
    assertThat(provider.calls()).isEqualTo(1);
    clock.advance(Duration.ofSeconds(21));
    assertThat(answer(facts.ask(TEAM, ALICE))).isFalse();
  }

  @Test
  void aPlainHttpUrlToAnotherMachineAndABadNameAreRefused() {
    LookupSettings settings = LookupSettings.of(Patience.LOOKUP, clock);
    assertThatThrownBy(
            () ->
                new HttpFacts(
                    web, "team", URI.create("http://facts.example.com/x"), TOKEN, settings))
        .hasMessageContaining("must be https, or http to this machine");
    assertThatThrownBy(() -> new HttpFacts(web, "Team", provider.uri(), TOKEN, settings))
        .hasMessageContaining("not a fact provider's name");
  }

  @Test
  void theGathererAsksTheNamedProviderAndAnUnconfiguredOneFailsClosed() throws Exception {
    provider.answer("team", "payments", true);
    FactGatherer gatherer =
        new FactGatherer(Optional.empty(), Optional.empty(), Map.of("team", facts()));
    FactCall unknown = FactCall.of("change_open");
    FactValues seen =
        answer(gatherer.gather(new FactNeeds(Set.of(), false, Set.of(TEAM, unknown)), ALICE));
    assertThat(seen.json())
        .extracting(r -> r.get("value"), r -> r.get("source"), r -> r.get("error"))
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                false, "http:change_open", "facts.http.change_open is not configured"),
            org.assertj.core.groups.Tuple.tuple(true, "http:team", null));

    provider.answerInstead(503, "{}");
    FactValues down =
        answer(
            gatherer.gather(
                new FactNeeds(Set.of(), false, Set.of(FactCall.of("team", "ops"))), ALICE));
    assertThat(down.json())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.get("value")).isEqualTo(false);
              assertThat((String) r.get("error")).contains("facts.http.team answered 503");
            });
  }

  @Test
  void aProviderNobodyListensAtFailsSayingItCouldNotBeReachedAndNeverItsAddress() throws Exception {
    int port;
    try (java.net.ServerSocket closed =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = closed.getLocalPort();
    }
    URI nobody = URI.create("http://127.0.0.1:" + port + "/facts");
    HttpFacts facts =
        new HttpFacts(
            web, "team", nobody, TOKEN, new LookupSettings(Patience.LOOKUP, Duration.ZERO, clock));

    FactLookupException e = failure(facts.ask(TEAM, ALICE));

    assertThat(e.getMessage())
        .as("a refused connection is not a slow provider")
        .startsWith("facts.http.team could not be reached (")
        .doesNotContain(Integer.toString(port))
        .doesNotContain(TOKEN);
  }

  /** The cap the refusal names (16384 bytes) is the largest answer read, not one byte less. */
  @Test
  void anAnswerOfExactlyTheCapIsRead() throws Exception {
    String value = "{\"value\": true}";
    provider.answerInstead(200, value + " ".repeat(16_384 - value.length()));
    assertThat(answer(facts().ask(TEAM, ALICE))).isTrue();

    provider.answerInstead(200, value + " ".repeat(16_385 - value.length()));
    assertThat(failure(facts().ask(FactCall.of("team", "ops"), ALICE)).getMessage())
        .isEqualTo("facts.http.team answered 200 with a body larger than 16384 bytes");
  }

  @Test
  void everyTwoHundredAnswerIsReadAndAThreeHundredIsNot() throws Exception {
    provider.answerInstead(299, "{\"value\": true}");
    assertThat(answer(facts().ask(TEAM, ALICE))).isTrue();

    provider.answerInstead(300, "{\"value\": true}");
    assertThat(failure(facts().ask(FactCall.of("team", "ops"), ALICE)).getMessage())
        .isEqualTo("facts.http.team answered 300");
  }

  @Test
  void aProviderIsDescribedByItsAddressForTheLogs() {
    assertThat(facts().toString())
        .contains("127.0.0.1:" + provider.uri().getPort())
        .doesNotContain(TOKEN);
  }
}
