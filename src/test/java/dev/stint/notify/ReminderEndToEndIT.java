package dev.stint.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.testing.Eventually;
import dev.stint.testing.FakeSlack;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Through the real server on a test clock, the real Slack client against a stand-in, and the
 * outbox: a request still pending after {@code remind_after} gets one reply in its Slack message's
 * thread per interval, naming how many approvals it still needs, and the webhook hears each
 * reminder; a decided request gets none.
 */
class ReminderEndToEndIT {
  static final Duration WAIT = Duration.ofSeconds(20);
  static RoutingStack stack;

  @BeforeAll
  static void start() throws Exception {
    stack = new RoutingStack("      count: 2\n      remind_after: 10m\n");
  }

  @AfterAll
  static void stop() throws Exception {
    stack.close();
  }

  static FakeSlack.Message posted(String id) throws Exception {
    return Eventually.get(
        "the message of " + id,
        WAIT,
        () ->
            stack.slack.messages().stream()
                .filter(m -> FakeSlack.text(m.blocks()).contains(id))
                .findFirst());
  }

  /** The replies posted in the thread of message {@code ts}. */
  static List<FakeSlack.Call> replies(String ts) {
    return stack.slack.calls("chat.postMessage").stream()
        .filter(c -> ts.equals(c.fields().get("thread_ts")))
        .toList();
  }

  /**
   * Waits for {@code count} replies. The server's clock is frozen between steps, so each look moves
   * it a second: a delivery the outbox put back for a retry comes due as it would live.
   */
  static List<FakeSlack.Call> replies(String ts, int count) throws Exception {
    return Eventually.get(
        count + " replies to " + ts,
        WAIT,
        () -> {
          stack.clock.set(stack.clock.instant().plusSeconds(1));
          return replies(ts).size() == count ? Optional.of(replies(ts)) : Optional.empty();
        });
  }

  @Test
  void aWaitingRequestGetsOneThreadReplyPerIntervalAndADecidedOneNone() throws Exception {
    String id = stack.create("alice", "INC-9 remind them");
    String denied = stack.create("bob", "INC-9 remind them");
    FakeSlack.Message message = posted(id);
    FakeSlack.Message deniedMessage = posted(denied);
    var deny = stack.decide(denied, "deny", "carol", "sre");
    assertThat(deny.statusCode()).as(deny.body()).isEqualTo(200);

    stack.clock.set(stack.t0.plus(Duration.ofMinutes(10)).minusSeconds(1));
    assertThat(stack.sweep()).isZero();
    stack.clock.set(stack.t0.plus(Duration.ofMinutes(10)));
    // The server's own sweeper timer may take the reminder first: one of the two sends it.
    stack.sweep();
    assertThat(stack.sweep()).isZero();
    FakeSlack.Call reply = replies(message.ts(), 1).get(0);
    assertThat(reply.fields()).containsEntry("channel", RoutingStack.CHANNEL);
    assertThat(reply.fields().get("text"))
        .contains(
            "Reminder",
            "still needs 2 more approvals",
            "https://stint.example.com/ui/requests/" + id);
    Eventually.get(
        "the webhook's reminder",
        WAIT,
        () -> stack.webhookTexts("Reminder: alice") == 1 ? Optional.of(true) : Optional.empty());

    stack.clock.set(stack.t0.plus(Duration.ofMinutes(20)));
    stack.sweep();
    replies(message.ts(), 2);
    assertThat(replies(deniedMessage.ts())).isEmpty();
    assertThat(stack.webhookTexts("Reminder: bob")).isZero();
  }
}
