package dev.stint.facts;

import static dev.stint.facts.PagerDutyOnCallsTest.answer;
import static dev.stint.facts.PagerDutyOnCallsTest.failure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stint.standin.JiraStandIn;
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
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Ticket lookups against a Jira stand-in: answers, 404, refusals, auth forms, cache, timeouts. */
class JiraTicketsTest {
  static final String CLOUD_TOKEN = "alice@example.com:ATATT3xFfGF0secretJiraToken";
  static final String DATA_CENTER_TOKEN = "NjA3MDM2NzQ1ODg0OpersonalAccessToken";

  final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T12:00:00Z"));
  final Vertx vertx = Vertx.vertx();
  final WebClient web = WebClient.create(vertx);
  JiraStandIn jira = new JiraStandIn(CLOUD_TOKEN);

  @AfterEach
  void stop() throws Exception {
    jira.close();
    vertx.close().await(Patience.seconds(10), TimeUnit.MILLISECONDS);
  }

  JiraTickets tracker(String token, Duration timeout) {
    return new JiraTickets(
        web, jira.uri(), token, new LookupSettings(timeout, Duration.ofSeconds(30), clock));
  }

  JiraTickets tracker() {
    return tracker(CLOUD_TOKEN, Patience.LOOKUP);
  }

  @Test
  void aTicketIsAnsweredWithItsStatusCategoryAssigneeAndProject() throws Exception {
    jira.issues().ticket("OPS-123", "In Review", "indeterminate", "Alice@Example.com", "OPS");

    assertThat(answer(tracker().ticket("OPS-123")))
        .contains(
            new Ticket(
                "OPS-123", "In Review", "indeterminate", Optional.of("alice@example.com"), "OPS"));
  }

  @Test
  void anUnassignedTicketHasNoAssignee() throws Exception {
    jira.issues().ticket("OPS-7", "To Do", "new", null, "OPS");

    assertThat(answer(tracker().ticket("OPS-7")).orElseThrow().assigneeEmail()).isEmpty();
  }

  @Test
  void anAssigneeWhoKeepsTheirEmailPrivateHasNone() throws Exception {
    jira.issues().ticket("OPS-8", "To Do", "new", "alice@example.com", "OPS");
    jira.privateEmails(true);

    assertThat(answer(tracker().ticket("OPS-8")).orElseThrow().assigneeEmail()).isEmpty();
  }

  @Test
  void aClosedTicketIsDone() throws Exception {
    jira.issues().ticket("OPS-9", "In Progress", "indeterminate", null, "OPS");
    jira.issues().close("OPS-9");

    Ticket ticket = answer(tracker().ticket("OPS-9")).orElseThrow();
    assertThat(ticket.status()).isEqualTo("Done");
    assertThat(ticket.statusCategory()).isEqualTo("done");
  }

  @Test
  void aTicketJiraDoesNotHaveIsEmpty() throws Exception {
    jira.issues().ticket("OPS-1", "To Do", "new", null, "OPS");
    jira.issues().remove("OPS-1");

    assertThat(answer(tracker().ticket("OPS-1"))).isEmpty();
    assertThat(answer(tracker().ticket("OPS-404"))).isEmpty();
    assertThat(jira.calls()).isEqualTo(2);
  }

  @ParameterizedTest
  @ValueSource(strings = {"ops-1", "OPS", "OPS-", "1-OPS", "OPS-1/../x", "O-1", ""})
  void somethingThatIsNotAJiraKeyIsEmptyWithoutACall(String key) throws Exception {
    assertThat(answer(tracker().ticket(key))).isEmpty();
    assertThat(jira.calls()).isZero();
  }

  @Test
  void anEmailAndApiTokenIsSentAsBasicAndAPersonalAccessTokenAsBearer() throws Exception {
    jira.issues().ticket("OPS-2", "To Do", "new", null, "OPS");
    assertThat(answer(tracker().ticket("OPS-2"))).isPresent();
    assertThat(JiraTickets.authorization(CLOUD_TOKEN)).startsWith("Basic ");

    jira.close();
    jira = new JiraStandIn(DATA_CENTER_TOKEN);
    jira.issues().ticket("OPS-2", "To Do", "new", null, "OPS");
    assertThat(answer(tracker(DATA_CENTER_TOKEN, Patience.LOOKUP).ticket("OPS-2"))).isPresent();
    assertThat(JiraTickets.authorization(DATA_CENTER_TOKEN))
        .isEqualTo("Bearer " + DATA_CENTER_TOKEN);
  }

  @Test
  void aWrongTokenFailsNamingTheStatusAndNeverTheToken() throws Exception {
    jira.issues().ticket("OPS-3", "To Do", "new", null, "OPS");
    String wrong = "alice@example.com:notTheRightTokenAtAll";
    JiraTickets tracker = tracker(wrong, Patience.LOOKUP);

    assertThat(failure(tracker.ticket("OPS-3")))
        .hasMessage("Jira answered 401")
        .hasMessageNotContaining("notTheRightTokenAtAll");
    assertThat(tracker.toString()).doesNotContain("notTheRightTokenAtAll");
    assertThat(tracker().toString()).doesNotContain("secretJiraToken");
  }

  @Test
  void theCloudTokenSentAsBearerIsRefused() throws Exception {
    jira.issues().ticket("OPS-3", "To Do", "new", null, "OPS");
    // A token without the email is not the Cloud form, so it goes as a bearer token: refused.
    String apiTokenAlone = CLOUD_TOKEN.substring(CLOUD_TOKEN.indexOf(':') + 1);

    assertThat(failure(tracker(apiTokenAlone, Patience.LOOKUP).ticket("OPS-3")))
        .hasMessage("Jira answered 401");
  }

  @Test
  void aThrottledCallFailsAndJiraIsNotAskedAgainUntilTheTimeItGave() throws Exception {
    jira.issues().ticket("OPS-4", "To Do", "new", null, "OPS");
    jira.throttle(1, Duration.ofSeconds(10));
    JiraTickets tracker = tracker();

    assertThat(failure(tracker.ticket("OPS-4"))).hasMessage("Jira answered 429");
    assertThat(failure(tracker.ticket("OPS-5"))).hasMessageContaining("answered 429");
    assertThat(jira.calls()).isEqualTo(1);

    clock.advance(Duration.ofSeconds(11));
    assertThat(answer(tracker.ticket("OPS-4"))).isPresent();
    assertThat(jira.calls()).isEqualTo(2);
  }

  @Test
  void anAnswerThatDoesNotComeFailsAtTheTimeout() throws Exception {
    jira.issues().ticket("OPS-5", "To Do", "new", null, "OPS");
    // Later than the test waits: the failure can only come from the timeout, however slow the host.
    jira.delay(Duration.ofHours(1));

    assertThat(failure(tracker(CLOUD_TOKEN, Duration.ofMillis(300)).ticket("OPS-5")))
        .hasMessage("Jira did not answer within 300 ms");
  }

  @Test
  void anAnswerIsReusedWithinItsLifetimeAndLookedUpAgainAfter() throws Exception {
    jira.issues().ticket("OPS-6", "To Do", "new", null, "OPS");
    JiraTickets tracker = tracker();
    assertThat(answer(tracker.ticket("OPS-6")).orElseThrow().statusCategory()).isEqualTo("new");

    jira.issues().close("OPS-6");
    clock.advance(Duration.ofSeconds(29));
    assertThat(answer(tracker.ticket("OPS-6")).orElseThrow().statusCategory()).isEqualTo("new");
    assertThat(jira.calls()).isEqualTo(1);

    clock.advance(Duration.ofSeconds(2));
    assertThat(answer(tracker.ticket("OPS-6")).orElseThrow().statusCategory()).isEqualTo("done");
    assertThat(jira.calls()).isEqualTo(2);
  }

  @Test
  void concurrentLookupsOfOneTicketMakeOneCall() throws Exception {
    jira.issues().ticket("OPS-10", "To Do", "new", null, "OPS");
    jira.delay(Duration.ofMillis(200));
    JiraTickets tracker = tracker();

    List<Future<Optional<Ticket>>> lookups = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      lookups.add(tracker.ticket("OPS-10"));
    }
    for (Future<Optional<Ticket>> lookup : lookups) {
      assertThat(answer(lookup)).isPresent();
    }
    assertThat(jira.calls()).isEqualTo(1);
  }

  @Test
  void anAnswerOfTheWrongShapeFailsNamingWhatIsWrong() throws Exception {
    jira.answerInstead(200, "{\"key\":\"OPS-1\",\"fields\":{\"status\":\"Done\"}}");

    assertThat(failure(tracker().ticket("OPS-1")))
        .hasMessage("Jira answered 200 with a malformed /fields/status (expected an object)");
  }

  @Test
  void aBodyLargerThanTheCapFails() throws Exception {
    jira.answerInstead(200, "\"" + "x".repeat(OutsideApi.MAX_BODY_BYTES + 10) + "\"");

    assertThat(failure(tracker().ticket("OPS-1")))
        .hasMessageStartingWith("Jira answered 200 with a body larger than");
  }

  @Test
  void plainHttpToAnotherMachineIsRefusedAtConstruction() {
    LookupSettings settings = LookupSettings.of(Patience.LOOKUP, clock);
    assertThatThrownBy(
            () ->
                new JiraTickets(web, URI.create("http://jira.example.com"), CLOUD_TOKEN, settings))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must be https")
        .hasMessageNotContaining("secretJiraToken");
  }

  @Test
  void anAssigneeWithAnEmptyEmailHasNone() throws Exception {
    jira.answerInstead(
        200,
        "{\"key\":\"OPS-5\",\"fields\":{\"status\":{\"name\":\"To Do\","
            + "\"statusCategory\":{\"key\":\"new\"}},\"assignee\":{\"emailAddress\":\"\"},"
            + "\"project\":{\"key\":\"OPS\"}}}");

    assertThat(answer(tracker().ticket("OPS-5")))
        .contains(new Ticket("OPS-5", "To Do", "new", Optional.empty(), "OPS"));
  }

  @Test
  void aTrackerIsDescribedByItsAddressForTheLogs() {
    assertThat(tracker().toString())
        .contains("127.0.0.1:" + jira.uri().getPort())
        .doesNotContain("ATATT3x");
  }
}
