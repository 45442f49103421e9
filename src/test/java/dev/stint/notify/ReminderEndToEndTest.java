package dev.stint.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stint.testing.Eventually;
import dev.stint.testing.FakeSlack;
import dev.stint.testing.MutableClock;
import dev.stint.testing.TestIdp;
import dev.stint.testing.TestPostgres;
import dev.stint.testing.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Through the real server on a test clock, the real Slack client against a stand-in, and the
 * outbox: a request still pending after {@code remind_after} gets one reply in its Slack
 * message's thread per interval, naming how many approvals it still needs, and the webhook
 * hears each reminder; a decided request gets none.
 */
class ReminderEndToEndTest {
  static final String CHANNEL = "C0APPROVALS";
  static final Duration WAIT = Duration.ofSeconds(20);
  /** Now: the identity provider's tokens last an hour of real time, so the test stays inside it. */
  static final Instant T0 = Instant.now();
  static final List<String> webhook = new CopyOnWriteArrayList<>();
  static Vertx vertx;
  static HttpServer receiver;
  static FakeSlack slack;
  static TestIdp idp;
  static MutableClock clock;
  static TestServer server;

  static String policy(TestIdp idp) {
    return "issuers:\n" + idp.issuerYaml("corp")
        + "profiles:\n"
        + "  prod:\n"
        + "    aws: {role_arn: \"arn:aws:iam::111122223333:role/prod-admin\", mode: assume_role}\n"
        + "    max_duration: 2h\n"
        + "    requesters: 'principal.groups.exists(g, g == \"eng\")'\n"
        + "    approval:\n"
        + "      count: 2\n"
        + "      approvers: 'principal.groups.exists(g, g == \"sre\")'\n"
        + "      remind_after: 10m\n";
  }

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    receiver = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
      webhook.add(body.toString());
      req.response().setStatusCode(200).end("ok");
    })).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    slack = new FakeSlack(CHANNEL);
    idp = new TestIdp("corp");
    clock = new MutableClock(T0);
    server = TestServer.start(TestPostgres.migratedDatabase(), Map.of(
        "STINT_SLACK_BOT_TOKEN", FakeSlack.TOKEN,
        "STINT_SLACK_SIGNING_SECRET", "0123456789abcdef0123456789abcdef",
        "STINT_SLACK_CHANNEL", CHANNEL,
        "STINT_SLACK_API_URL", slack.apiUrl().toString(),
        "STINT_SLACK_WEBHOOK_URL", "http://127.0.0.1:" + receiver.actualPort() + "/services/T/B/X",
        "STINT_PUBLIC_URL", "https://stint.example.com"), policy(idp), clock);
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    idp.close();
    slack.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  static long webhookTexts(String containing) {
    return webhook.stream().filter(b -> b.contains(containing)).count();
  }

  static String create(String user) throws Exception {
    HttpResponse<String> created = server.send(HttpRequest.newBuilder(server.uri("/v1/requests"))
        .header("Authorization", "Bearer " + idp.token(user, "eng"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"profile\":\"prod\","
            + "\"duration_seconds\":3600,\"reason\":\"INC-9 remind them\"}"))
        .build());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    return new ObjectMapper().readTree(created.body()).get("id").asText();
  }

  static FakeSlack.Message posted(String id) throws Exception {
    return Eventually.get("the message of " + id, WAIT, () -> slack.messages().stream()
        .filter(m -> FakeSlack.text(m.blocks()).contains(id)).findFirst());
  }

  /** The replies posted in the thread of message {@code ts}. */
  static List<FakeSlack.Call> replies(String ts) {
    return slack.calls("chat.postMessage").stream()
        .filter(c -> ts.equals(c.fields().get("thread_ts"))).toList();
  }

  /**
   * Waits for {@code count} replies. The server's clock is frozen between steps, so each look
   * moves it a second: a delivery the outbox put back for a retry comes due as it would live.
   */
  static List<FakeSlack.Call> replies(String ts, int count) throws Exception {
    return Eventually.get(count + " replies to " + ts, WAIT, () -> {
      clock.set(clock.instant().plusSeconds(1));
      return replies(ts).size() == count ? Optional.of(replies(ts)) : Optional.empty();
    });
  }

  static int sweep() throws Exception {
    return server.server().sweepNow().await(20, TimeUnit.SECONDS);
  }

  @Test
  void aWaitingRequestGetsOneThreadReplyPerIntervalAndADecidedOneNone() throws Exception {
    String id = create("alice");
    String denied = create("bob");
    FakeSlack.Message message = posted(id);
    FakeSlack.Message deniedMessage = posted(denied);
    HttpResponse<String> deny = server.send(HttpRequest.newBuilder(
            server.uri("/v1/requests/" + denied + "/deny"))
        .header("Authorization", "Bearer " + idp.token("carol", "sre"))
        .POST(HttpRequest.BodyPublishers.noBody()).build());
    assertThat(deny.statusCode()).as(deny.body()).isEqualTo(200);

    clock.set(T0.plus(Duration.ofMinutes(10)).minusSeconds(1));
    assertThat(sweep()).isZero();
    clock.set(T0.plus(Duration.ofMinutes(10)));
    // The server's own sweeper timer may take the reminder first: one of the two sends it.
    sweep();
    assertThat(sweep()).isZero();
    FakeSlack.Call reply = replies(message.ts(), 1).get(0);
    assertThat(reply.fields()).containsEntry("channel", CHANNEL);
    assertThat(reply.fields().get("text")).contains("Reminder", "still needs 2 more approvals",
        "https://stint.example.com/ui/requests/" + id);
    Eventually.get("the webhook's reminder", WAIT, () -> webhookTexts("Reminder: alice") == 1
        ? Optional.of(true) : Optional.empty());

    clock.set(T0.plus(Duration.ofMinutes(20)));
    sweep();
    replies(message.ts(), 2);
    assertThat(replies(deniedMessage.ts())).isEmpty();
    assertThat(webhookTexts("Reminder: bob")).isZero();
  }
}
