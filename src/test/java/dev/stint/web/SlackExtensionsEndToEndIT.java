package dev.stint.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stint.notify.slack.SlackExtensionMessage;
import dev.stint.testing.Eventually;
import dev.stint.testing.FakeSlack;
import dev.stint.testing.MutableClock;
import dev.stint.testing.TestIdp;
import dev.stint.testing.TestPostgres;
import dev.stint.testing.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Through the real server, Slack client, outbox and extension service: an extension that needs two
 * approvals is posted to the channel with its buttons; the asker's own click is refused and
 * audited; two approvers' clicks approve it; its message then shows the outcome without buttons,
 * the request's own message shows the grant's new end, and the asker, who linked their Slack
 * account, is told the decision and that end by direct message.
 */
class SlackExtensionsEndToEndIT {
  static final String CHANNEL = "C0APPROVALS";
  static final String SECRET = "0123456789abcdef0123456789abcdef";
  static final Duration WAIT = Duration.ofSeconds(20);
  static final ObjectMapper JSON = new ObjectMapper();
  static FakeSlack slack;
  static TestIdp idp;
  static TestServer server;
  static MutableClock clock;

  @BeforeAll
  static void start() throws Exception {
    slack = new FakeSlack(CHANNEL).user("U0ALICE").user("U0BOB").user("U0CAROL");
    idp = new TestIdp("corp");
    clock = new MutableClock(Instant.now());
    server =
        TestServer.start(
            TestPostgres.migratedDatabase(),
            withIdentityMaxAge(SlackClicks.settings(slack, SECRET, CHANNEL)),
            WebTestSetup.policy(idp),
            clock);
    link("alice", "U0ALICE");
    link("bob", "U0BOB");
    link("carol", "U0CAROL");
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    idp.close();
    slack.close();
  }

  static void link(String user, String slackUser) {
    SlackClicks.link(server, idp, slack, user, slackUser, "sre");
  }

  static Map<String, String> withIdentityMaxAge(Map<String, String> settings) {
    Map<String, String> all = new HashMap<>(settings);
    all.put("STINT_SLACK_IDENTITY_MAX_AGE", "7d");
    return all;
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

  static HttpResponse<String> click(String slackUser, String actionId, String value)
      throws Exception {
    return SlackClicks.click(
        server, SECRET, CHANNEL, FakeSlack.TEAM, clock.instant(), slackUser, actionId, value);
  }

  static FakeSlack.Message showing(String id, String containing) throws Exception {
    return Eventually.get(
        id + " showing " + containing,
        WAIT,
        () ->
            later().messages().stream()
                .filter(m -> m.channel().equals(CHANNEL))
                .filter(m -> FakeSlack.text(m.blocks()).contains(id))
                .filter(m -> FakeSlack.text(m.blocks()).contains(containing))
                .findFirst());
  }

  /**
   * Moves the server's clock on a second, then answers the stand-in. The outbox puts off a delivery
   * whose turn is busy (the request's message being updated) to the clock's now plus its poll; with
   * a clock that never moves, that time would never come.
   */
  static FakeSlack later() {
    clock.advance(Duration.ofSeconds(1));
    return slack;
  }

  static String audit() {
    return server
        .get("/v1/audit?type=slack.interaction&limit=200", idp.token("sam", "security"))
        .body();
  }

  @Test
  void anExtensionIsPostedDecidedByClicksAndEveryMessageShowsTheGrantsEnd() throws Exception {
    String request =
        call(
                "/v1/requests",
                "alice",
                "{\"profile\":\"aws-prod\",\"duration_seconds\":3600,\"reason\":\"INC-9 ext\"}",
                201)
            .get("id")
            .asText();
    call("/v1/requests/" + request + "/approve", "bob", "", 200);
    call("/v1/requests/" + request + "/approve", "carol", "", 200);
    JsonNode extension =
        call(
            "/v1/requests/" + request + "/extend",
            "alice",
            "{\"duration_seconds\":1800,\"reason\":\"INC-9 <!channel> still on it\"}",
            201);
    String id = extension.get("id").asText();
    assertThat(extension.get("state").asText()).isEqualTo("pending");

    FakeSlack.Message posted;
    try {
      posted = showing(id, "Pending");
    } catch (AssertionError e) {
      throw new AssertionError(
          slack.messages().stream().map(m -> m.channel() + ": " + m.text()).toList()
              + " outbox: "
              + server.get("/v1/admin/outbox", idp.token("pat", "platform")).body(),
          e);
    }
    assertThat(FakeSlack.actionIds(posted.blocks()))
        .containsExactly(SlackExtensionMessage.APPROVE, SlackExtensionMessage.DENY);
    assertThat(FakeSlack.text(posted.blocks()))
        .contains("Would end", "&lt;!channel&gt;")
        .doesNotContain("<!channel>");

    assertThat(click("U0ALICE", SlackExtensionMessage.APPROVE, id).statusCode()).isEqualTo(200);
    assertThat(audit()).contains(id, "refused", "your own extension");
    assertThat(FakeSlack.text(slack.message(CHANNEL, posted.ts()).orElseThrow().blocks()))
        .contains("0 of 2");

    assertThat(
            JSON.readTree(server.get("/v1/extensions", idp.token("alice", "sre")).body())
                .toString())
        .contains("\"state\":\"pending\"")
        .doesNotContain("\"decision\":\"approve\"");

    assertThat(click("U0BOB", SlackExtensionMessage.APPROVE, id).statusCode()).isEqualTo(200);
    assertThat(click("U0CAROL", SlackExtensionMessage.APPROVE, id).statusCode()).isEqualTo(200);

    FakeSlack.Message decided = showing(id, "Approved");
    assertThat(FakeSlack.actionIds(decided.blocks())).isEmpty();
    String end =
        JSON.readTree(server.get("/v1/requests/" + request, idp.token("alice", "sre")).body())
            .path("grant")
            .path("ends_at")
            .asText();
    assertThat(decided.ts()).isEqualTo(posted.ts());
    assertThat(FakeSlack.text(decided.blocks())).contains("access now until");
    FakeSlack.Message requestMessage = showing(request, "access until");
    Eventually.get(
        "the request's message showing the new end",
        WAIT,
        () ->
            later()
                .message(CHANNEL, requestMessage.ts())
                .filter(m -> FakeSlack.text(m.blocks()).contains("access until " + end))
                .filter(m -> !end.isEmpty()));
    assertThat(audit()).contains("approve from Slack");

    String told =
        Eventually.get(
            "alice's direct message about her extension",
            WAIT,
            () -> dmsToAlice().stream().filter(t -> t.contains("Your extension")).findFirst());
    assertThat(told)
        .startsWith("Your extension (+30m) of request <")
        .contains(request + "> for *aws-prod* was approved by ")
        .endsWith("; your access now ends at " + end + ".");
    // Told once: the ask and the votes short of a decision are not told to her.
    assertThat(dmsToAlice().stream().filter(t -> t.contains("Your extension"))).hasSize(1);
  }

  static List<String> dmsToAlice() {
    return later().messages().stream()
        .filter(m -> m.channel().equals(FakeSlack.dm("U0ALICE")))
        .map(FakeSlack.Message::text)
        .toList();
  }
}
