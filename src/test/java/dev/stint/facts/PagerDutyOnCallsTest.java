package dev.stint.facts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stint.standin.PagerDutyStandIn;
import dev.stint.testing.Eventually;
import dev.stint.testing.MutableClock;
import dev.stint.testing.Patience;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** On-call lookups against a PagerDuty stand-in: answers, pages, refusals, the cache, timeouts. */
class PagerDutyOnCallsTest {
  static final String TOKEN = "y_NbAkKc66ryYTWUXYEu";

  final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T12:00:00Z"));
  Vertx vertx;
  WebClient web;
  PagerDutyStandIn pagerDuty;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    web = WebClient.create(vertx);
    pagerDuty = new PagerDutyStandIn(TOKEN);
  }

  @AfterEach
  void stop() throws Exception {
    pagerDuty.close();
    vertx.close().await(Patience.seconds(10), TimeUnit.MILLISECONDS);
  }

  /** A timeout no loaded host reaches: the tests of the timeout set their own. */
  PagerDutyOnCalls directory() {
    return directory(TOKEN, Patience.LOOKUP);
  }

  PagerDutyOnCalls directory(String token, Duration timeout) {
    return new PagerDutyOnCalls(
        web, pagerDuty.uri(), token, new LookupSettings(timeout, Duration.ofSeconds(30), clock));
  }

  static <T> T answer(Future<T> lookup) throws Exception {
    return lookup
        .toCompletionStage()
        .toCompletableFuture()
        .get(Patience.seconds(10), TimeUnit.MILLISECONDS);
  }

  static FactLookupException failure(Future<?> lookup) throws Exception {
    try {
      answer(lookup);
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(FactLookupException.class);
      return (FactLookupException) e.getCause();
    }
    throw new AssertionError("the lookup did not fail");
  }

  @Test
  void everyoneOnCallNowInTheScheduleIsAnsweredLowerCased() throws Exception {
    pagerDuty.onCall("PSCHED1", "Alice@Example.com", "bob@example.com");
    pagerDuty.onCall("POTHER1", "carol@example.com");

    assertThat(answer(directory().onCall("PSCHED1")))
        .containsExactlyInAnyOrder("alice@example.com", "bob@example.com");
    assertThat(pagerDuty.calls()).isEqualTo(1);
  }

  @Test
  void everyPageIsFollowedWhilePagerDutySaysThereIsMore() throws Exception {
    String[] emails =
        IntStream.range(0, 250).mapToObj(i -> "p" + i + "@example.com").toArray(String[]::new);
    pagerDuty.onCall("PBIG001", emails);

    assertThat(answer(directory().onCall("PBIG001"))).hasSize(250).contains("p249@example.com");
    assertThat(pagerDuty.calls()).isEqualTo(3);
  }

  @Test
  void nobodyOnCallIsAnEmptyAnswerNotAFailure() throws Exception {
    pagerDuty.nobodyOnCall("PEMPTY1");

    assertThat(answer(directory().onCall("PEMPTY1"))).isEmpty();
  }

  @Test
  void aScheduleUnknownToPagerDutyFailsRatherThanReadingAsNobodyOnCall() throws Exception {
    pagerDuty.onCall("PSCHED1", "alice@example.com");

    assertThat(failure(directory().onCall("PTYPO01")))
        .hasMessage("PagerDuty answered 404: it has no schedule PTYPO01");
  }

  @Test
  void aWrongTokenFailsNamingTheStatusAndNeverTheToken() throws Exception {
    pagerDuty.onCall("PSCHED1", "alice@example.com");
    String wrong = "wrongTokenXYZ987654";
    PagerDutyOnCalls directory = directory(wrong, Patience.LOOKUP);

    assertThat(failure(directory.onCall("PSCHED1")))
        .hasMessage("PagerDuty answered 401")
        .hasMessageNotContaining(wrong);
    assertThat(directory.toString()).doesNotContain(wrong).contains("127.0.0.1");
    assertThat(directory().toString()).doesNotContain(TOKEN);
  }

  @Test
  void aThrottledCallFailsAndPagerDutyIsNotAskedAgainUntilTheTimeItGave() throws Exception {
    pagerDuty.onCall("PSCHED1", "alice@example.com");
    pagerDuty.throttle(1, Duration.ofSeconds(20));
    PagerDutyOnCalls directory = directory();

    assertThat(failure(directory.onCall("PSCHED1"))).hasMessage("PagerDuty answered 429");
    assertThat(failure(directory.onCall("PSCHED1"))).hasMessageContaining("answered 429");
    assertThat(failure(directory.onCall("POTHER1"))).hasMessageContaining("answered 429");
    assertThat(pagerDuty.calls()).isEqualTo(1);

    clock.advance(Duration.ofSeconds(21));
    assertThat(answer(directory.onCall("PSCHED1"))).containsExactly("alice@example.com");
    assertThat(pagerDuty.calls()).isEqualTo(2);
  }

  @Test
  void anAnswerThatDoesNotComeFailsAtTheTimeoutAndIsNotKept() throws Exception {
    pagerDuty.onCall("PSCHED1", "alice@example.com");
    // Later than the test waits: the failure can only come from the timeout, however slow the host.
    pagerDuty.delay(Duration.ofHours(1));
    PagerDutyOnCalls directory = directory(TOKEN, Duration.ofMillis(300));

    assertThat(failure(directory.onCall("PSCHED1")))
        .hasMessage("PagerDuty did not answer within 300 ms");

    // Not kept: the next lookup asks PagerDuty again. Whether that answer beats this short
    // timeout depends on the host's speed, so only the call is asserted, not its answer.
    pagerDuty.delay(Duration.ZERO);
    Future<Set<String>> again = directory.onCall("PSCHED1");
    Eventually.until("the lookup again", Duration.ofSeconds(30), again::isComplete);
    Eventually.until("PagerDuty asked again", Duration.ofSeconds(30), () -> pagerDuty.calls() == 2);
  }

  @Test
  void anAnswerIsReusedWithinItsLifetimeAndLookedUpAgainAfter() throws Exception {
    pagerDuty.onCall("PSCHED1", "alice@example.com");
    PagerDutyOnCalls directory = directory();
    assertThat(answer(directory.onCall("PSCHED1"))).containsExactly("alice@example.com");

    pagerDuty.onCall("PSCHED1", "bob@example.com");
    clock.advance(Duration.ofSeconds(29));
    assertThat(answer(directory.onCall("PSCHED1"))).containsExactly("alice@example.com");
    assertThat(pagerDuty.calls()).isEqualTo(1);

    clock.advance(Duration.ofSeconds(2));
    assertThat(answer(directory.onCall("PSCHED1"))).containsExactly("bob@example.com");
    assertThat(pagerDuty.calls()).isEqualTo(2);
  }

  @Test
  void concurrentLookupsOfOneScheduleMakeOneCall() throws Exception {
    pagerDuty.onCall("PSCHED1", "alice@example.com");
    pagerDuty.delay(Duration.ofMillis(200));
    PagerDutyOnCalls directory = directory();

    List<Future<Set<String>>> lookups = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      lookups.add(directory.onCall("PSCHED1"));
    }
    for (Future<Set<String>> lookup : lookups) {
      assertThat(answer(lookup)).containsExactly("alice@example.com");
    }
    assertThat(pagerDuty.calls()).isEqualTo(1);
  }

  @Test
  void anAnswerOfTheWrongShapeFailsNamingWhatIsWrong() throws Exception {
    pagerDuty.answerInstead(200, "{\"oncalls\":[{\"user\":{\"email\":7}}],\"more\":false}");

    assertThat(failure(directory().onCall("PSCHED1")))
        .hasMessage(
            "PagerDuty answered 200 with a malformed /oncalls/0/user/email (expected text)");
  }

  @Test
  void anAnswerThatIsNotJsonFails() throws Exception {
    pagerDuty.answerInstead(200, "<html>maintenance</html>");

    assertThat(failure(directory().onCall("PSCHED1")))
        .hasMessage("PagerDuty answered 200 with a malformed body (expected an object)");
  }

  @Test
  void aServerErrorFailsNamingTheStatus() throws Exception {
    pagerDuty.answerInstead(503, "{\"error\":{\"message\":\"Service Unavailable\"}}");

    assertThat(failure(directory().onCall("PSCHED1"))).hasMessage("PagerDuty answered 503");
  }

  @Test
  void somethingThatIsNotAScheduleIdIsNotLookedUp() throws Exception {
    assertThat(failure(directory().onCall("../users"))).hasMessage("not a PagerDuty schedule id");
    assertThat(pagerDuty.calls()).isZero();
  }

  @Test
  void plainHttpToAnotherMachineIsRefusedAtConstruction() {
    LookupSettings settings = LookupSettings.of(Patience.LOOKUP, clock);
    assertThatThrownBy(
            () ->
                new PagerDutyOnCalls(
                    web, URI.create("http://api.pagerduty.example"), TOKEN, settings))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must be https")
        .hasMessageNotContaining(TOKEN);
  }

  /**
   * A PagerDuty that always says there is more is not followed for ever: at most 50 pages of 100
   * (docs/policies.md), then the lookup fails rather than answering a partial list.
   */
  @Test
  void aPagerDutyThatAlwaysSaysMoreFailsAfterFiftyPages() throws Exception {
    pagerDuty.answerInstead(
        200, "{\"oncalls\":[{\"user\":{\"email\":\"alice@example.com\"}}],\"more\":true}");

    assertThat(failure(directory().onCall("PSCHED1")))
        .hasMessage("PagerDuty answered 200 with more pages than it should have");
    assertThat(pagerDuty.calls()).isEqualTo(50);
  }
}
