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
 * outbox: a request that waited {@code escalate_after} is swept once, its Slack message says it
 * escalated (with the rule), the webhook hears {@code request.escalated}, and then a director
 * approves it through the API.
 */
class EscalationEndToEndTest {
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
        + "      count: 1\n"
        + "      approvers: 'principal.groups.exists(g, g == \"sre\")'\n"
        + "      escalate_after: 30m\n"
        + "      escalate_to: 'principal.groups.exists(g, g == \"directors\")'\n";
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

  static HttpResponse<String> approve(String id, String user, String group) {
    return server.send(HttpRequest.newBuilder(server.uri("/v1/requests/" + id + "/approve"))
        .header("Authorization", "Bearer " + idp.token(user, group))
        .POST(HttpRequest.BodyPublishers.noBody()).build());
  }

  /**
   * Waits for the message to show {@code containing}. The server's clock is frozen between
   * steps, so each look moves it a second: a delivery put back for a retry comes due.
   */
  static FakeSlack.Message once(String id, String containing) throws Exception {
    return Eventually.get(id + " showing " + containing, WAIT, () -> {
      clock.set(clock.instant().plusSeconds(1));
      return slack.messages().stream().filter(m -> FakeSlack.text(m.blocks()).contains(id)
          && FakeSlack.text(m.blocks()).contains(containing)).findFirst();
    });
  }

  static long webhookTexts(String containing) {
    return webhook.stream().filter(b -> b.contains(containing)).count();
  }

  @Test
  void aRequestThatWaitedEscalatesOnceAndADirectorApprovesIt() throws Exception {
    HttpResponse<String> created = server.send(HttpRequest.newBuilder(server.uri("/v1/requests"))
        .header("Authorization", "Bearer " + idp.token("alice", "eng"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"profile\":\"prod\","
            + "\"duration_seconds\":3600,\"reason\":\"INC-9 escalate me\"}"))
        .build());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String id = new ObjectMapper().readTree(created.body()).get("id").asText();
    FakeSlack.Message posted = once(id, "waiting for 1 more approval");
    assertThat(FakeSlack.text(posted.blocks())).doesNotContain("Escalated");

    clock.set(T0.plus(Duration.ofMinutes(30)).minusSeconds(1));
    assertThat(server.server().sweepNow().await(20, TimeUnit.SECONDS)).isZero();
    assertThat(approve(id, "dana", "directors").statusCode()).isEqualTo(404);

    clock.set(T0.plus(Duration.ofMinutes(30)));
    // The server's own sweeper timer may mark it first: one of the two does.
    server.server().sweepNow().await(20, TimeUnit.SECONDS);
    assertThat(server.server().sweepNow().await(20, TimeUnit.SECONDS)).isZero();
    FakeSlack.Message escalated = once(id, "*Escalated*");
    assertThat(escalated.ts()).isEqualTo(posted.ts());
    assertThat(FakeSlack.text(escalated.blocks())).contains(
        "principal.groups.exists(g, g == \"directors\")", "may now approve or deny it too");
    assertThat(FakeSlack.actionIds(escalated.blocks()))
        .containsExactly(SlackMessage.APPROVE, SlackMessage.DENY);
    Eventually.get("the webhook's escalation", WAIT, () -> webhookTexts("escalated: nobody")
        == 1 ? Optional.of(true) : Optional.empty());

    HttpResponse<String> approved = approve(id, "dana", "directors");
    assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
    FakeSlack.Message done = once(id, "*Approved*");
    assertThat(FakeSlack.text(done.blocks())).doesNotContain("*Escalated*");
    assertThat(webhookTexts("escalated: nobody")).isEqualTo(1);
  }
}
