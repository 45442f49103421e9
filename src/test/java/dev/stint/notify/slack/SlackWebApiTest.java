package dev.stint.notify.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.stint.config.StintConfig;
import dev.stint.testing.FakeSlack;
import dev.stint.testing.Patience;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Collections;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Slack's real Java client against the stand-in: what it sends is what Slack accepts. */
class SlackWebApiTest {
  static final String CHANNEL = "C0APPROVALS";
  static final String BLOCKS =
      "[{\"type\":\"section\",\"text\":{\"type\":\"mrkdwn\",\"text\":\"hi\"}}]";
  private Vertx vertx;
  private FakeSlack slack;
  private SlackWebApi api;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    slack = new FakeSlack(CHANNEL).user("U0ALICE");
    api = api(FakeSlack.TOKEN);
  }

  private SlackWebApi api(String token) {
    return new SlackWebApi(
        vertx,
        new StintConfig.SlackApp(
            token, "s".repeat(32), CHANNEL, slack.apiUrl(), Duration.ofDays(7)));
  }

  @AfterEach
  void stop() throws Exception {
    api.close();
    slack.close();
    vertx.close().await(Patience.seconds(10), TimeUnit.MILLISECONDS);
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.await(Patience.seconds(10), TimeUnit.MILLISECONDS);
  }

  private static String error(Future<?> f) {
    Throwable t = catchThrowable(() -> f.await(Patience.seconds(10), TimeUnit.MILLISECONDS));
    assertThat(t).isInstanceOf(SlackWebApi.SlackFailure.class);
    return ((SlackWebApi.SlackFailure) t).error();
  }

  @Test
  void postsAndUpdatesInPlace() throws Exception {
    String ts = await(api.post(CHANNEL, "fallback", BLOCKS));
    await(api.update(CHANNEL, ts, "changed", BLOCKS.replace("hi", "changed")));
    assertThat(slack.messages()).hasSize(1);
    assertThat(FakeSlack.text(slack.message(CHANNEL, ts).orElseThrow().blocks()))
        .contains("changed");
    assertThat(slack.calls("chat.postMessage").get(0).fields()).containsEntry("unfurl_links", "0");
  }

  @Test
  void refusesWhatSlackRefuses() throws Exception {
    try (SlackWebApi wrong = api("xoxb-wrong-token-0000")) {
      assertThat(error(wrong.post(CHANNEL, "x", BLOCKS))).isEqualTo("invalid_auth");
    }
    assertThat(error(api.post("C0NOWHERE", "x", BLOCKS))).isEqualTo("channel_not_found");
    assertThat(error(api.update(CHANNEL, "1.2", "x", BLOCKS))).isEqualTo("message_not_found");
    assertThat(error(api.post(CHANNEL, "x", "{\"type\":\"section\"}"))).isEqualTo("invalid_blocks");
    String tooLong =
        "[{\"type\":\"section\",\"text\":{\"type\":\"mrkdwn\",\"text\":\""
            + "a".repeat(3001)
            + "\"}}]";
    assertThat(error(api.post(CHANNEL, "x", tooLong))).isEqualTo("invalid_blocks");
    String many = "[" + String.join(",", Collections.nCopies(51, "{\"type\":\"divider\"}")) + "]";
    assertThat(error(api.post(CHANNEL, "x", many))).isEqualTo("invalid_blocks");
    assertThat(slack.messages()).isEmpty();
  }

  @Test
  void directMessagesAndUsers() throws Exception {
    await(api.direct("U0ALICE", "your code"));
    assertThat(slack.calls("conversations.open")).hasSize(1);
    assertThat(slack.messages())
        .extracting(FakeSlack.Message::channel)
        .containsExactly(FakeSlack.dm("U0ALICE"));
    assertThat(await(api.member("U0ALICE")).map(SlackApi.Member::teamId)).contains(FakeSlack.TEAM);
    assertThat(await(api.member("U0NOBODY"))).isEmpty();
    assertThat(error(api.direct("U0NOBODY", "x"))).isEqualTo("user_not_found");
  }

  @Test
  void failuresNameTheMethodNeverTheToken() {
    slack.failNext("ratelimited");
    Throwable t =
        catchThrowable(
            () ->
                api.post(CHANNEL, "x", BLOCKS).await(Patience.seconds(10), TimeUnit.MILLISECONDS));
    assertThat(t.getMessage())
        .isEqualTo("slack chat.postMessage: ratelimited")
        .doesNotContain(FakeSlack.TOKEN);
  }
}
