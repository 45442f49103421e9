package dev.stint.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stint.config.DatabaseUrl;
import dev.stint.notify.slack.SlackExtensionMessage;
import dev.stint.testing.AuditTables;
import dev.stint.testing.Eventually;
import dev.stint.testing.FakeSlack;
import dev.stint.testing.TestIdp;
import dev.stint.testing.TestPostgres;
import dev.stint.testing.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Extensions in approvers' direct messages, through the real server with {@code
 * notify.slack.dm_approvers} and no channel: an extension that waits reaches each linked person
 * whose vote would count on it (those who approved its request included), not its asker nor someone
 * who is no approver; clicks in those messages decide it, each audited; and every message is then
 * updated in place to the outcome, without buttons.
 */
class SlackExtensionDirectMessagesEndToEndIT {
  static final String SECRET = "0123456789abcdef0123456789abcdef";
  static final Duration WAIT = Duration.ofSeconds(20);
  static final ObjectMapper JSON = new ObjectMapper();
  static FakeSlack slack;
  static TestIdp idp;
  static DatabaseUrl db;
  static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    slack = new FakeSlack().user("U0ALICE").user("U0BOB").user("U0CAROL").user("U0DAVE");
    idp = new TestIdp("corp");
    db = TestPostgres.migratedDatabase();
    server =
        TestServer.start(
            db,
            Map.of(
                "STINT_SLACK_BOT_TOKEN",
                FakeSlack.TOKEN,
                "STINT_SLACK_SIGNING_SECRET",
                SECRET,
                "STINT_SLACK_API_URL",
                slack.apiUrl().toString(),
                "STINT_SLACK_DM_APPROVERS",
                "true"),
            WebTestSetup.policy(idp));
    SlackClicks.link(server, idp, slack, "alice", "U0ALICE", "sre");
    SlackClicks.link(server, idp, slack, "bob", "U0BOB", "sre");
    SlackClicks.link(server, idp, slack, "carol", "U0CAROL", "sre");
    SlackClicks.link(server, idp, slack, "dave", "U0DAVE", "eng");
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    idp.close();
    slack.close();
  }

  static JsonNode call(String path, String user, String body, int status) throws Exception {
    HttpResponse<String> r =
        server.send(
            HttpRequest.newBuilder(server.uri(path))
                .header("Authorization", "Bearer " + idp.token(user, "sre"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    return JSON.readTree(r.body());
  }

  /** A click in {@code slackUser}'s direct message with stint, signed as Slack signs. */
  static HttpResponse<String> clickInDm(String slackUser, String extensionId) throws Exception {
    return SlackClicks.click(
        server,
        SECRET,
        FakeSlack.dm(slackUser),
        FakeSlack.TEAM,
        Instant.now(),
        slackUser,
        SlackExtensionMessage.APPROVE,
        extensionId);
  }

  /**
   * Waits until the outbox has delivered the ask to Slack: every message it sends has been sent by
   * then, so one missing afterwards was never sent, rather than not sent yet.
   */
  static void askDelivered(String requestId) throws Exception {
    Eventually.until(
        "the outbox to deliver the extension's ask to Slack",
        WAIT,
        () ->
            AuditTables.strings(
                    db,
                    "SELECT count(*) FROM outbox WHERE listener = 'notify.slack.extension'"
                        + " AND event = 'grant.extension_requested' AND state = 'done'"
                        + " AND request_id = '"
                        + requestId
                        + "'")
                .equals(List.of("1")));
  }

  static List<FakeSlack.Message> messagesAbout(String extensionId) {
    return slack.messages().stream()
        .filter(m -> FakeSlack.text(m.blocks()).contains(extensionId))
        .toList();
  }

  @Test
  void anExtensionReachesItsApproversDirectlyIsDecidedThereAndEveryMessageIsUpdated()
      throws Exception {
    String request =
        call(
                "/v1/requests",
                "alice",
                "{\"profile\":\"aws-prod\",\"duration_seconds\":3600,\"reason\":\"INC-21 dm\"}",
                201)
            .get("id")
            .asText();
    call("/v1/requests/" + request + "/approve", "bob", "", 200);
    call("/v1/requests/" + request + "/approve", "carol", "", 200);
    String id =
        call(
                "/v1/requests/" + request + "/extend",
                "alice",
                "{\"duration_seconds\":1800,\"reason\":\"INC-21 still on it\"}",
                201)
            .get("id")
            .asText();

    askDelivered(request);
    List<FakeSlack.Message> posted = messagesAbout(id);
    assertThat(posted)
        .extracting(FakeSlack.Message::channel)
        .containsExactlyInAnyOrder(FakeSlack.dm("U0BOB"), FakeSlack.dm("U0CAROL"));
    assertThat(posted)
        .allSatisfy(
            m ->
                assertThat(FakeSlack.actionIds(m.blocks()))
                    .containsExactly(SlackExtensionMessage.APPROVE, SlackExtensionMessage.DENY));

    assertThat(clickInDm("U0BOB", id).statusCode()).isEqualTo(200);
    assertThat(clickInDm("U0CAROL", id).statusCode()).isEqualTo(200);

    // Each click is decided, and its record committed, before the endpoint answers.
    assertThat(
            AuditTables.strings(
                db,
                "SELECT outcome || ': ' || reason FROM audit_events"
                    + " WHERE type = 'slack.interaction' AND details->>'extension_id' = '"
                    + id
                    + "' ORDER BY seq"))
        .containsExactly("ok: approve from Slack", "ok: approve from Slack");
    String end =
        JSON.readTree(server.get("/v1/requests/" + request, idp.token("alice", "sre")).body())
            .path("grant")
            .path("ends_at")
            .asText();
    for (FakeSlack.Message m : posted) {
      FakeSlack.Message now =
          Eventually.get(
              m.channel() + "'s message showing the approval",
              WAIT,
              () ->
                  slack
                      .message(m.channel(), m.ts())
                      .filter(u -> FakeSlack.text(u.blocks()).contains("Approved")));
      assertThat(FakeSlack.actionIds(now.blocks())).isEmpty();
      assertThat(FakeSlack.text(now.blocks())).contains("access now until " + end);
    }
  }
}
