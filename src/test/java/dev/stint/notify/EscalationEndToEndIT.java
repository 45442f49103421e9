package dev.stint.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.notify.slack.SlackMessage;
import dev.stint.testing.Eventually;
import dev.stint.testing.FakeSlack;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Through the real server on a test clock, the real Slack client against a stand-in, and the
 * outbox: a request that waited {@code escalate_after} is swept once, its Slack message says it
 * escalated (with the rule), the webhook hears {@code request.escalated}, and then a director
 * approves it through the API.
 */
class EscalationEndToEndIT {
  static final Duration WAIT = Duration.ofSeconds(20);
  static RoutingStack stack;

  @BeforeAll
  static void start() throws Exception {
    stack =
        new RoutingStack(
            "      count: 1\n      escalate_after: 30m\n"
                + "      escalate_to: 'principal.groups.exists(g, g == \"directors\")'\n");
  }

  @AfterAll
  static void stop() throws Exception {
    stack.close();
  }

  /**
   * Waits for the message to show {@code containing}. The server's clock is frozen between steps,
   * so each look moves it a second: a delivery put back for a retry comes due.
   */
  static FakeSlack.Message once(String id, String containing) throws Exception {
    return Eventually.get(
        id + " showing " + containing,
        WAIT,
        () -> {
          stack.clock.set(stack.clock.instant().plusSeconds(1));
          return stack.slack.messages().stream()
              .filter(
                  m ->
                      FakeSlack.text(m.blocks()).contains(id)
                          && FakeSlack.text(m.blocks()).contains(containing))
              .findFirst();
        });
  }

  @Test
  void aRequestThatWaitedEscalatesOnceAndADirectorApprovesIt() throws Exception {
    String id = stack.create("alice", "INC-9 escalate me");
    FakeSlack.Message posted = once(id, "waiting for 1 more approval");
    assertThat(FakeSlack.text(posted.blocks())).doesNotContain("Escalated");

    stack.clock.set(stack.t0.plus(Duration.ofMinutes(30)).minusSeconds(1));
    assertThat(stack.sweep()).isZero();
    assertThat(stack.decide(id, "approve", "dana", "directors").statusCode()).isEqualTo(404);

    stack.clock.set(stack.t0.plus(Duration.ofMinutes(30)));
    // The server's own sweeper timer may mark it first: one of the two does.
    stack.sweep();
    assertThat(stack.sweep()).isZero();
    FakeSlack.Message escalated = once(id, "*Escalated*");
    assertThat(escalated.ts()).isEqualTo(posted.ts());
    assertThat(FakeSlack.text(escalated.blocks()))
        .contains(
            "principal.groups.exists(g, g == \"directors\")", "may now approve or deny it too");
    assertThat(FakeSlack.actionIds(escalated.blocks()))
        .containsExactly(SlackMessage.APPROVE, SlackMessage.DENY);
    Eventually.get(
        "the webhook's escalation",
        WAIT,
        () -> stack.webhookTexts("escalated: nobody") == 1 ? Optional.of(true) : Optional.empty());

    HttpResponse<String> approved = stack.decide(id, "approve", "dana", "directors");
    assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
    FakeSlack.Message done = once(id, "*Approved*");
    assertThat(FakeSlack.text(done.blocks())).doesNotContain("*Escalated*");
    assertThat(stack.webhookTexts("escalated: nobody")).isEqualTo(1);
  }
}
