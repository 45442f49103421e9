package dev.stint.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stint.config.DatabaseUrl;
import dev.stint.notify.slack.SlackMessage;
import dev.stint.standin.SlackSocketServer;
import dev.stint.testing.Eventually;
import dev.stint.testing.FakeSlack;
import dev.stint.testing.TestIdp;
import dev.stint.testing.TestPostgres;
import dev.stint.testing.TestServer;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Slack without a public endpoint, through the real server, the Slack client's Socket Mode over
 * Java-WebSocket and a local Socket Mode server: stint connects with the app token, a click comes
 * as an envelope and is acknowledged within Slack's three seconds, the decision is the access
 * service's and the message follows it; an envelope sent again (to the same replica or to another)
 * is handled once; stint moves to a new connection when Slack asks and when the connection drops;
 * and with no signing secret the HTTP endpoint believes nothing.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SlackSocketModeEndToEndIT {
  static final String CHANNEL = "C0APPROVALS";
  static final Duration WAIT = Duration.ofSeconds(30);
  static final ObjectMapper JSON = new ObjectMapper();
  static FakeSlack slack;
  static SlackSocketServer sockets;
  static TestIdp idp;
  static TestServer server;
  static TestServer replica;
  static DatabaseUrl database;
  static String request;

  @BeforeAll
  static void start() throws Exception {
    slack = new FakeSlack(CHANNEL).user("U0ALICE").user("U0BOB").user("U0CAROL");
    sockets = slack.sockets();
    idp = new TestIdp("corp");
    database = TestPostgres.migratedDatabase();
    server = TestServer.start(database, settings(), WebTestSetup.policy(idp));
    SlackClicks.link(server, idp, slack, "alice", "U0ALICE", "sre");
    SlackClicks.link(server, idp, slack, "bob", "U0BOB", "sre");
    SlackClicks.link(server, idp, slack, "carol", "U0CAROL", "sre");
    request = create("alice");
  }

  /** Socket Mode only: a bot token and an app token, no signing secret. */
  static Map<String, String> settings() {
    Map<String, String> env = new HashMap<>();
    env.put("STINT_SLACK_BOT_TOKEN", FakeSlack.TOKEN);
    env.put("STINT_SLACK_APP_TOKEN", FakeSlack.APP_TOKEN);
    env.put("STINT_SLACK_CHANNEL", CHANNEL);
    env.put("STINT_SLACK_API_URL", slack.apiUrl().toString());
    return env;
  }

  @AfterAll
  static void stop() throws Exception {
    if (replica != null) {
      replica.close();
    }
    server.close();
    idp.close();
    slack.close();
  }

  static String create(String user) throws Exception {
    return SlackClicks.request(server, idp, user, "aws-prod");
  }

  static JsonObject click(String slackUser, String actionId) {
    return new JsonObject(
        SlackClicks.payload(CHANNEL, FakeSlack.TEAM, slackUser, actionId, request).toString());
  }

  static JsonNode requestJson() throws Exception {
    return JSON.readTree(server.get("/v1/requests/" + request, idp.token("alice", "sre")).body());
  }

  static String audit() {
    return server
        .get("/v1/audit?type=slack.interaction&limit=200", idp.token("sam", "security"))
        .body();
  }

  static String messageText() {
    return slack.messages().stream()
        .filter(m -> FakeSlack.text(m.blocks()).contains(request))
        .findFirst()
        .map(m -> FakeSlack.text(m.blocks()))
        .orElse("");
  }

  static SlackSocketServer.Delivery deliver(JsonObject payload) {
    return sockets.deliver(payload).join().orElseThrow(() -> new AssertionError("no connection"));
  }

  @Test
  @Order(1)
  void stintConnectsWithTheAppTokenAndTheHttpEndpointBelievesNothing() throws Exception {
    Eventually.until("stint holds a connection", WAIT, () -> sockets.connections() == 1);
    assertThat(slack.calls("apps.connections.open")).isNotEmpty();
    // No signing secret: the open route does not exist, so the path is the authenticated API's.
    HttpResponse<String> post =
        server.send(
            HttpRequest.newBuilder(server.uri("/v1/slack/interactions"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("payload=%7B%7D"))
                .build());
    assertThat(post.statusCode()).isEqualTo(401);
    String metrics =
        server.send(HttpRequest.newBuilder(server.uri("/metrics")).GET().build()).body();
    assertThat(metrics).contains("stint_slack_socket_connected 1.0");
  }

  @Test
  @Order(2)
  void aClickIsAcknowledgedInTimeDecidedAndTheMessageFollows() throws Exception {
    Eventually.until("the request's message", WAIT, () -> !messageText().isEmpty());
    SlackSocketServer.Delivery bob = deliver(click("U0BOB", SlackMessage.APPROVE));
    assertThat(bob.acknowledged()).as("acknowledged within three seconds").isTrue();
    Eventually.until(
        "bob's vote is recorded", WAIT, () -> requestJson().path("approvals").size() == 1);
    assertThat(requestJson().path("approvals").get(0).toString()).contains("bob");
    Eventually.until(
        "the message shows bob's vote",
        WAIT,
        () -> messageText().contains("1 of 2") && messageText().contains("bob"));
    assertThat(audit()).contains("approve from Slack", "socket_mode");
  }

  @Test
  @Order(3)
  void theRequestersOwnClickIsRefusedToldAndStillAcknowledged() throws Exception {
    SlackSocketServer.Delivery alice = deliver(click("U0ALICE", SlackMessage.APPROVE));
    assertThat(alice.acknowledged()).isTrue();
    Eventually.until(
        "the refusal is audited",
        WAIT,
        () -> audit().contains("you cannot approve your own request"));
    assertThat(requestJson().path("approvals").size()).isEqualTo(1);
    Eventually.until(
        "alice is told",
        WAIT,
        () ->
            slack.calls("chat.postEphemeral").stream()
                .anyMatch(c -> "U0ALICE".equals(c.fields().get("user"))));
  }

  @Test
  @Order(4)
  void anEnvelopeSentAgainToAnotherReplicaIsHandledOnce() throws Exception {
    replica = TestServer.start(database, settings(), WebTestSetup.policy(idp));
    Eventually.until("both replicas hold a connection", WAIT, () -> sockets.connections() == 2);
    JsonObject carol = click("U0CAROL", SlackMessage.DENY);
    SlackSocketServer.Delivery first =
        sockets.deliver("env-carol-1", carol, Optional.of(0)).join().orElseThrow();
    SlackSocketServer.Delivery again =
        sockets.deliver("env-carol-1", carol, Optional.of(1)).join().orElseThrow();
    assertThat(first.acknowledged()).isTrue();
    assertThat(again.acknowledged()).as("a repeat is acknowledged, not handled").isTrue();
    Eventually.until(
        "carol's deny", WAIT, () -> "denied".equals(requestJson().path("state").asText()));
    // Handled twice, the second would be audited too (refused: already decided).
    String audit = audit();
    assertThat(audit.split("\"slack_user\":\"U0CAROL\"", -1).length - 1).as(audit).isEqualTo(1);
    assertThat(audit).contains("deny from Slack");
  }

  @Test
  @Order(5)
  void stintMovesToANewConnectionWhenSlackAsksAndWhenTheConnectionDrops() throws Exception {
    replica.close();
    replica = null;
    Eventually.until("one replica is left", WAIT, () -> sockets.connections() == 1);
    int before = sockets.accepted();
    sockets.askToReconnect().join();
    Eventually.until(
        "a new connection replaces the old one",
        WAIT,
        () -> sockets.accepted() == before + 1 && sockets.connections() == 1);
    sockets.drop().join();
    Eventually.until(
        "stint reconnects after a drop",
        WAIT,
        () -> sockets.accepted() == before + 2 && sockets.connections() == 1);
    request = create("bob");
    Eventually.until("the new request's message", WAIT, () -> !messageText().isEmpty());
    assertThat(deliver(click("U0CAROL", SlackMessage.APPROVE)).acknowledged()).isTrue();
    Eventually.until(
        "carol's vote over the new connection",
        WAIT,
        () -> requestJson().path("approvals").size() == 1);
  }

  @Test
  @Order(6)
  void whileSlackRefusesANewConnectionStintKeepsAskingAndSaysSo() throws Exception {
    slack.refuseConnections("ratelimited");
    int before = sockets.accepted();
    sockets.drop().join();
    Eventually.until("stint has no connection", WAIT, () -> sockets.connections() == 0);
    Eventually.until("stint asked twice, and was refused", WAIT, () -> refused() >= 2);
    assertThat(server.send(HttpRequest.newBuilder(server.uri("/metrics")).GET().build()).body())
        .contains("stint_slack_socket_connected 0.0");
    slack.refuseConnections(null);
    Eventually.until(
        "stint connects once Slack lets it",
        WAIT,
        () -> sockets.connections() == 1 && sockets.accepted() == before + 1);
  }

  static long refused() {
    return slack.calls("apps.connections.open").stream()
        .filter(c -> c.fields().containsKey("refused"))
        .count();
  }
}
