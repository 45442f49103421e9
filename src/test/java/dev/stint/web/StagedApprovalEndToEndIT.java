package dev.stint.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stint.config.DatabaseUrl;
import dev.stint.testing.AuditTables;
import dev.stint.testing.Eventually;
import dev.stint.testing.FakeSlack;
import dev.stint.testing.TestIdp;
import dev.stint.testing.TestPostgres;
import dev.stint.testing.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Approval in stages through the server: the request JSON carries its stages and the open one, a
 * vote for a stage still waiting is a {@code 409 stage_not_open} problem, each stage's approvers
 * get the Slack message directly when their stage opens (not before), and the page lists the
 * stages.
 */
class StagedApprovalEndToEndIT {
  static final String CHANNEL = "C0APPROVALS";
  static final String SECRET = "0123456789abcdef0123456789abcdef";
  static final Duration WAIT = Duration.ofSeconds(20);
  static final ObjectMapper JSON = new ObjectMapper();
  static FakeSlack slack;
  static TestIdp idp;
  static TestServer server;
  static DatabaseUrl db;

  static String policy(TestIdp idp) {
    return "auditors: 'principal.groups.exists(g, g == \"auditors\")'\n"
        + "issuers:\n"
        + idp.issuerYaml("corp")
        + "web: {issuer: corp, client_id: "
        + WebTestSetup.CLIENT
        + "}\n"
        + "profiles:\n"
        + "  aws-prod:\n"
        + "    aws: {role_arn: 'arn:aws:iam::111122223333:role/prod-admin', mode: assume_role}\n"
        + "    max_duration: 2h\n"
        + "    requesters: 'true'\n"
        + "    approval:\n"
        + "      stages:\n"
        + "        - {name: lead, count: 1, approvers: 'principal.groups.exists(g, g == \"leads\")'}\n"
        + "        - {name: security, count: 1,"
        + " approvers: 'principal.groups.exists(g, g == \"security\")'}\n";
  }

  @BeforeAll
  static void start() throws Exception {
    slack = new FakeSlack(CHANNEL).user("U0LEE").user("U0SEC").user("U0ANN");
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
                "STINT_SLACK_CHANNEL",
                CHANNEL,
                "STINT_SLACK_API_URL",
                slack.apiUrl().toString(),
                "STINT_SLACK_DM_APPROVERS",
                "true",
                "STINT_SLACK_TEAM_ID",
                FakeSlack.TEAM),
            policy(idp));
    SlackClicks.link(server, idp, slack, "lee", "U0LEE", "leads");
    SlackClicks.link(server, idp, slack, "sec", "U0SEC", "security");
    SlackClicks.link(server, idp, slack, "ann", "U0ANN", "eng");
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    idp.close();
    slack.close();
  }

  static HttpResponse<String> post(String path, String user, String group, String body)
      throws Exception {
    return server.send(
        HttpRequest.newBuilder(server.uri(path))
            .header("Authorization", "Bearer " + idp.token(user, group))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  static List<String> directMessagesAbout(String id) {
    return slack.messages().stream()
        .filter(m -> FakeSlack.text(m.blocks()).contains(id))
        .map(FakeSlack.Message::channel)
        .filter(c -> !c.equals(CHANNEL))
        .toList();
  }

  static void delivered(String id, String event) throws Exception {
    Eventually.until(
        "the outbox to deliver " + event + " of " + id + " to Slack",
        WAIT,
        () ->
            AuditTables.strings(
                    db,
                    "SELECT count(*) FROM outbox WHERE listener = 'notify.slack.app' AND event = '"
                        + event
                        + "' AND state = 'done' AND request_id = '"
                        + id
                        + "'")
                .equals(List.of("1")));
  }

  @Test
  void stagesAreDecidedInOrderAndEachStagesApproversHearWhenItOpens() throws Exception {
    HttpResponse<String> created =
        post(
            "/v1/requests",
            "ann",
            "eng",
            "{\"profile\":\"aws-prod\",\"duration_seconds\":3600,\"reason\":\"INC-40\"}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    JsonNode r = JSON.readTree(created.body());
    String id = r.get("id").asText();
    assertThat(r.get("stage").asText()).isEqualTo("lead");
    assertThat(r.get("stages").toString())
        .isEqualTo(
            "[{\"name\":\"lead\",\"count\":1,\"votes\":0,\"state\":\"open\"},"
                + "{\"name\":\"security\",\"count\":1,\"votes\":0,\"state\":\"waiting\"}]");
    delivered(id, "request.created");
    assertThat(directMessagesAbout(id)).containsExactly(FakeSlack.dm("U0LEE"));

    HttpResponse<String> early = post("/v1/requests/" + id + "/approve", "sec", "security", "{}");
    assertThat(early.statusCode()).isEqualTo(409);
    assertThat(JSON.readTree(early.body()).get("code").asText()).isEqualTo("stage_not_open");

    HttpResponse<String> led = post("/v1/requests/" + id + "/approve", "lee", "leads", "{}");
    assertThat(led.statusCode()).as(led.body()).isEqualTo(200);
    assertThat(JSON.readTree(led.body()).get("stage").asText()).isEqualTo("security");
    delivered(id, "approval.recorded");
    assertThat(directMessagesAbout(id))
        .containsExactlyInAnyOrder(FakeSlack.dm("U0LEE"), FakeSlack.dm("U0SEC"));

    String page = server.get("/v1/requests/" + id + "/approvers", idp.token("ann", "eng")).body();
    assertThat(JSON.readTree(page).get("stage").asText()).isEqualTo("security");

    HttpResponse<String> done = post("/v1/requests/" + id + "/approve", "sec", "security", "{}");
    assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
    JsonNode approved = JSON.readTree(done.body());
    assertThat(approved.get("state").asText()).isIn("approved", "active");
    assertThat(approved.get("stage").isNull()).isTrue();
    assertThat(approved.get("approvals").findValuesAsText("stage"))
        .containsExactly("lead", "security");
  }
}
