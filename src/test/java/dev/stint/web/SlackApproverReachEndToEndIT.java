package dev.stint.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stint.config.DatabaseUrl;
import dev.stint.notify.slack.SlackMessage;
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
 * Reaching approvers where they are: with {@code notify.slack.dm_approvers} a new request's message
 * also goes to each linked Slack user who could approve it, and every copy is updated; with {@code
 * notify.slack.email_link_within} an unlinked Slack user counts as the one person whose verified
 * email stint saw lately, and as no one when that email is unverified or shared.
 */
class SlackApproverReachEndToEndIT {
  static final String CHANNEL = "C0APPROVALS";
  static final String SECRET = "0123456789abcdef0123456789abcdef";
  static final Duration WAIT = Duration.ofSeconds(20);
  static final ObjectMapper JSON = new ObjectMapper();
  static FakeSlack slack;
  static TestIdp idp;
  static TestServer server;
  static DatabaseUrl db;

  @BeforeAll
  static void start() throws Exception {
    slack =
        new FakeSlack(CHANNEL)
            .user("U0ALICE")
            .user("U0BOB")
            .user("U0CAROL")
            .user("U0DAVE", "dave@example.com")
            .user("U0EVE", "eve@example.com")
            .user("U0MALLORY", "mallory@example.com")
            .user("U0GINA", "gina@example.com")
            .guest("U0GUEST", "dave@example.com");
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
                "STINT_SLACK_EMAIL_LINK_WITHIN",
                "1h",
                "STINT_SLACK_TEAM_ID",
                FakeSlack.TEAM),
            WebTestSetup.policy(idp));
    link("alice", "U0ALICE", "sre");
    link("bob", "U0BOB", "sre");
    link("carol", "U0CAROL", "eng");
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    idp.close();
    slack.close();
  }

  static void link(String user, String slackUser, String group) {
    SlackClicks.link(server, idp, slack, user, slackUser, group);
  }

  /** A web sign-in whose ID token says the email is (or is not) verified. */
  static void signIn(String user, boolean emailVerified, String... groups) {
    Browser b = new Browser(server);
    idp.nextLogin(user, WebTestSetup.CLIENT, Map.of("email_verified", emailVerified), groups);
    assertThat(b.get(b.authorize(b.startLogin())).statusCode()).isEqualTo(303);
  }

  static String create(String user) throws Exception {
    HttpResponse<String> created =
        server.send(
            HttpRequest.newBuilder(server.uri("/v1/requests"))
                .header("Authorization", "Bearer " + idp.token(user, "sre"))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"profile\":\"aws-prod\","
                            + "\"duration_seconds\":3600,\"reason\":\"INC-11 reach\"}"))
                .build());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    return JSON.readTree(created.body()).get("id").asText();
  }

  /**
   * Waits until the outbox has delivered each request's creation to Slack: whatever those
   * deliveries post (the channel, each approver's direct message) has been posted by then, so what
   * is missing afterwards was never sent, rather than not sent yet.
   */
  static void creationDeliveredToSlack(String... ids) throws Exception {
    String in = "'" + String.join("', '", ids) + "'";
    Eventually.until(
        "the outbox to deliver the creation of " + in + " to Slack",
        WAIT,
        () ->
            AuditTables.strings(
                    db,
                    "SELECT count(*) FROM outbox WHERE listener = 'notify.slack.app'"
                        + " AND event = 'request.created' AND state = 'done'"
                        + " AND request_id IN ("
                        + in
                        + ")")
                .equals(List.of(Integer.toString(ids.length))));
  }

  static List<FakeSlack.Message> messagesAbout(String id) {
    return slack.messages().stream().filter(m -> FakeSlack.text(m.blocks()).contains(id)).toList();
  }

  static HttpResponse<String> click(String slackUser, String id) throws Exception {
    return click(slackUser, id, FakeSlack.TEAM);
  }

  static HttpResponse<String> click(String slackUser, String id, String team) throws Exception {
    return SlackClicks.click(
        server, SECRET, CHANNEL, team, Instant.now(), slackUser, SlackMessage.APPROVE, id);
  }

  static JsonNode request(String id) throws Exception {
    return JSON.readTree(server.get("/v1/requests/" + id, idp.token("alice", "sre")).body());
  }

  static String audit() {
    return server
        .get("/v1/audit?type=slack.interaction&limit=200", idp.token("sam", "security"))
        .body();
  }

  @Test
  void aNewRequestGoesToTheChannelAndToEachLinkedApproverButNotTheRequesterNorOthers()
      throws Exception {
    String id = create("alice");
    creationDeliveredToSlack(id);
    List<FakeSlack.Message> posted = messagesAbout(id);
    assertThat(posted)
        .extracting(FakeSlack.Message::channel)
        .contains(CHANNEL, FakeSlack.dm("U0BOB"))
        .doesNotContain(FakeSlack.dm("U0ALICE"), FakeSlack.dm("U0CAROL"));
    assertThat(posted)
        .allSatisfy(m -> assertThat(m.blocks().toString()).contains(SlackMessage.APPROVE));

    // A vote from the API updates every copy in place.
    assertThat(
            server
                .send(
                    HttpRequest.newBuilder(server.uri("/v1/requests/" + id + "/approve"))
                        .header("Authorization", "Bearer " + idp.token("bob", "sre"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{}"))
                        .build())
                .statusCode())
        .isEqualTo(200);
    Eventually.until(
        "both copies say 1 of 2",
        WAIT,
        () ->
            slack.updates().stream()
                    .filter(
                        u ->
                            FakeSlack.text(u.blocks()).contains(id)
                                && FakeSlack.text(u.blocks()).contains("1 of 2"))
                    .map(FakeSlack.Message::channel)
                    .distinct()
                    .count()
                == 2);
  }

  @Test
  void aLinkedApproverSlackNoLongerKnowsDoesNotStopTheOthersMessages() throws Exception {
    slack.user("U0HANK");
    link("hank", "U0HANK", "sre");
    slack.deactivate("U0HANK");
    String id = create("alice");
    creationDeliveredToSlack(id);
    assertThat(messagesAbout(id))
        .extracting(FakeSlack.Message::channel)
        .contains(CHANNEL, FakeSlack.dm("U0BOB"))
        .doesNotContain(FakeSlack.dm("U0HANK"));
  }

  @Test
  void anUnlinkedClickerCountsAsTheOnePersonWhoseVerifiedEmailStintSawLately() throws Exception {
    signIn("dave", true, "sre");
    String id = create("alice");
    assertThat(click("U0DAVE", id).statusCode()).isEqualTo(200);
    Eventually.until("dave's vote counts", WAIT, () -> request(id).path("approvals").size() == 1);
    assertThat(request(id).path("approvals").get(0).toString()).contains("dave");
    assertThat(audit()).contains("\"linked_by\":\"email\"");
  }

  @Test
  void aGuestOrAnotherWorkspaceWithAnApproversEmailIsNoOne() throws Exception {
    signIn("dave", true, "sre");
    String id = create("alice");
    assertThat(click("U0GUEST", id).statusCode()).isEqualTo(200);
    Eventually.until(
        "the guest's refusal is audited",
        WAIT,
        () -> audit().contains("not a full member of the workspace"));
    assertThat(click("U0DAVE", id, "T0ELSEWHERE").statusCode()).isEqualTo(200);
    Eventually.until(
        "the other team's refusal is audited",
        WAIT,
        () -> audit().contains("not of the workspace notify.slack.team_id names"));
    assertThat(request(id).path("approvals").size()).isZero();
  }

  @Test
  void anUnverifiedEmailMatchesNoOne() throws Exception {
    signIn("eve", false, "sre");
    String id = create("alice");
    assertThat(click("U0EVE", id).statusCode()).isEqualTo(200);
    Eventually.until(
        "the refusal is audited",
        WAIT,
        () -> audit().contains("no one with the Slack profile's email"));
    assertThat(request(id).path("approvals").size()).isZero();
  }

  @Test
  void anEmailTwoPeopleShareMatchesNoOne() throws Exception {
    signIn("gina", true, "sre");
    Eventually.until(
        "gina is seen",
        WAIT,
        () ->
            !AuditTables.strings(db, "SELECT 1 FROM people_seen WHERE subject = 'gina'").isEmpty());
    AuditTables.execute(
        db,
        "INSERT INTO people_seen SELECT issuer,"
            + " 'gina-second', principal, email, seen_at FROM people_seen WHERE subject = 'gina'");
    String id = create("alice");
    assertThat(click("U0GINA", id).statusCode()).isEqualTo(200);
    Eventually.until(
        "the refusal is audited",
        WAIT,
        () -> audit().contains("2 stint people have the Slack profile's email"));
    assertThat(request(id).path("approvals").size()).isZero();
  }

  @Test
  void aPersonCannotHaveStintMessageSomeoneWithoutEnd() {
    Browser b = new Browser(server);
    assertThat(b.signIn(idp, "spammer", "eng").statusCode()).isEqualTo(303);
    for (int i = 0; i < 5; i++) {
      assertThat(b.submit("/ui/slack/link", Map.of("slack_user", "U0MALLORY")).statusCode())
          .isEqualTo(200);
    }
    HttpResponse<String> sixth = b.submit("/ui/slack/link", Map.of("slack_user", "U0MALLORY"));
    assertThat(sixth.statusCode()).isEqualTo(400);
    assertThat(sixth.body()).contains("5 codes within the hour");
    assertThat(
            slack.messages().stream()
                .filter(
                    m ->
                        m.channel().equals(FakeSlack.dm("U0MALLORY"))
                            && m.text().contains("linking code")))
        .hasSize(5);
  }

  @Test
  void aBundleIsOneMessageAndOneClickDecidesAllOfIt() throws Exception {
    signIn("frank", true, "sre");
    HttpResponse<String> created =
        server.send(
            HttpRequest.newBuilder(server.uri("/v1/requests"))
                .header("Authorization", "Bearer " + idp.token("alice", "sre", "eng"))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"profiles\":[\"aws-prod\",\"gcp-view\"],"
                            + "\"duration_seconds\":1800,\"reason\":\"INC-12 bundle\"}"))
                .build());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    JsonNode bundle = JSON.readTree(created.body());
    String first = bundle.get("requests").get(0).get("id").asText();
    String second = bundle.get("requests").get(1).get("id").asText();
    creationDeliveredToSlack(first, second);
    assertThat(messagesAbout(first))
        .filteredOn(m -> m.channel().equals(CHANNEL))
        .hasSize(1)
        .allSatisfy(m -> assertThat(FakeSlack.text(m.blocks())).contains("aws-prod + gcp-view"));
    assertThat(messagesAbout(second)).isEmpty();

    assertThat(click("U0BOB", first).statusCode()).isEqualTo(200);
    Eventually.until(
        "bob's vote counts on both",
        WAIT,
        () -> {
          JsonNode b =
              JSON.readTree(
                  server
                      .get(
                          "/v1/requests/" + bundle.get("id").asText(),
                          idp.token("alice", "sre", "eng"))
                      .body());
          return b.get("requests").get(0).get("approvals").size() == 1
              && b.get("requests").get(1).get("approvals").size() == 1;
        });
  }

  @Test
  void aSlackUserWithoutAnyMatchIsRefusedAndChangesNothing() throws Exception {
    String id = create("alice");
    assertThat(click("U0MALLORY", id).statusCode()).isEqualTo(200);
    // The click is decided, and its record committed, before the endpoint answers.
    assertThat(
            AuditTables.strings(
                db,
                "SELECT outcome || ': ' || reason FROM audit_events"
                    + " WHERE type = 'slack.interaction' AND request_id = '"
                    + id
                    + "'"))
        .containsExactly(
            "refused: Slack user not linked, and no one with the Slack profile's email"
                + " was seen within notify.slack.email_link_within");
    assertThat(request(id).path("approvals").size()).isZero();
  }
}
