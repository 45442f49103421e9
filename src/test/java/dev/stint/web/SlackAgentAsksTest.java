package dev.stint.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stint.config.DatabaseUrl;
import dev.stint.notify.slack.SlackLeaseMessage;
import dev.stint.testing.AuditTables;
import dev.stint.testing.Eventually;
import dev.stint.testing.FakeSlack;
import dev.stint.testing.TestIdp;
import dev.stint.testing.TestPostgres;
import dev.stint.testing.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An enrolled agent's ask told and decided in Slack, through the real server, its outbox and Slack
 * client against the Slack stand-in, clicks signed as Slack signs them: the holder is sent a direct
 * message naming the agent, whose it is, the task, the parameters and the policy, with Approve and
 * Deny; a click by anyone whose vote does not count changes nothing and is refused and audited
 * (someone else's on the holder's ask; the holder's own where an approver must decide); the
 * holder's, or there the approver's, decides it, and every copy then says who did, without buttons;
 * a retried delivery posts no second copy; a step-up profile's ask is decided on its page.
 */
class SlackAgentAsksTest {
  static final String CHANNEL = "C0APPROVALS";
  static final String SECRET = "0123456789abcdef0123456789abcdef";
  static final ObjectMapper JSON = new ObjectMapper();
  static final String PROFILES =
      """
        agent-read:
          aws:
            role_arn: 'arn:aws:iam::111122223333:role/reader'
            session_policy:
              Version: '2012-10-17'
              Statement:
                - Sid: Read
                  Effect: Allow
                  Action: ['s3:ListBucket']
                  Resource: ['arn:aws:s3:::${bucket}']
          parameters:
            bucket: {pattern: '[a-z0-9][a-z0-9-]{1,61}[a-z0-9]', description: The bucket}
          max_duration: 2h
          requesters: 'principal.groups.exists(g, g == "eng")'
          approval: {count: 1, approvers: 'principal.groups.exists(g, g == "sre")'}
          leases: {max_duration: 1h, max_active: 5}
        agent-guarded:
          aws: {role_arn: 'arn:aws:iam::111122223333:role/reader', mode: assume_role}
          max_duration: 2h
          requesters: 'principal.groups.exists(g, g == "eng")'
          approval: {count: 1, approvers: 'principal.groups.exists(g, g == "sre")'}
          leases: {max_duration: 1h, max_active: 5, approval: required}
        agent-stepup:
          aws: {role_arn: 'arn:aws:iam::111122223333:role/reader', mode: assume_role}
          max_duration: 2h
          requesters: 'principal.groups.exists(g, g == "eng")'
          approval: {count: 1, approvers: 'principal.groups.exists(g, g == "sre")', step_up: true}
          leases: {max_duration: 1h, max_active: 5}
      """;

  static FakeSlack slack;
  static TestIdp idp;
  static DatabaseUrl db;
  static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    slack = new FakeSlack(CHANNEL);
    for (String u : List.of("U0ALICE", "U0BOB", "U0CAROL", "U0DAVE", "U0FRANK", "U0SAM")) {
      slack.user(u);
    }
    idp = new TestIdp("corp");
    db = TestPostgres.migratedDatabase();
    Map<String, String> env = new HashMap<>(SlackClicks.settings(slack, SECRET, CHANNEL));
    env.put("STINT_SLACK_DM_APPROVERS", "true");
    server = TestServer.start(db, env, WebTestSetup.policy(idp) + PROFILES);
    for (String user : List.of("alice", "bob", "dave", "frank")) {
      SlackClicks.link(server, idp, slack, user, "U0" + user.toUpperCase(Locale.ROOT), "eng");
    }
    // An auditor: she sees every lease, and her vote counts on none.
    SlackClicks.link(server, idp, slack, "carol", "U0CAROL", "security");
    SlackClicks.link(server, idp, slack, "sam", "U0SAM", "sre");
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    idp.close();
    slack.close();
  }

  @Test
  void someoneElsesClickOnTheHoldersAskIsRefusedAuditedAndChangesNothing() throws Exception {
    String lease = askedOf("bob", "agent-read", "coder");
    eventually(() -> copies(lease).size() == 2, "the channel's and bob's copies");

    assertThat(click("U0CAROL", SlackLeaseMessage.APPROVE, lease).statusCode()).isEqualTo(200);

    eventually(() -> !clicks(lease, "refused").isEmpty(), "carol's click recorded");
    assertThat(clicks(lease, "refused")).containsExactly("carol");
    assertThat(
            strings(
                "SELECT actor_subject FROM audit_events WHERE type = 'lease.refused'"
                    + " AND details->>'lease_id' = '"
                    + lease
                    + "'"))
        .containsExactly("carol");
    assertThat(
            strings(
                "SELECT reason FROM audit_events WHERE type = 'slack.interaction'"
                    + " AND details->>'lease_id' = '"
                    + lease
                    + "'"))
        .singleElement()
        .asString()
        .contains("not an approver");
    assertThat(state(lease)).isEqualTo("pending");
    assertThat(FakeSlack.actionIds(copies(lease).get(0).blocks()))
        .containsExactly(SlackLeaseMessage.APPROVE, SlackLeaseMessage.DENY);
  }

  @Test
  void whereAnApproverMustDecideTheHoldersClickIsRefusedAndTheApproversApproves() throws Exception {
    String lease = askedOf("dave", "agent-guarded", "tidy");
    eventually(() -> copies(lease).size() == 3, "the channel's, dave's and sam's copies");
    assertThat(copies(lease))
        .extracting(FakeSlack.Message::channel)
        .containsExactlyInAnyOrder(CHANNEL, FakeSlack.dm("U0DAVE"), FakeSlack.dm("U0SAM"));

    click("U0DAVE", SlackLeaseMessage.APPROVE, lease);
    eventually(() -> !clicks(lease, "refused").isEmpty(), "dave's click recorded");
    assertThat(clicks(lease, "refused")).containsExactly("dave");
    assertThat(state(lease)).isEqualTo("pending");

    click("U0SAM", SlackLeaseMessage.APPROVE, lease);
    eventually(() -> state(lease).equals("active"), "sam's approval");
    assertThat(clicks(lease, "ok")).containsExactly("sam");
    eventually(
        () -> copies(lease).stream().allMatch(m -> text(m).contains("Approved* by sam")),
        "every copy updated");
    assertThat(copies(lease)).allMatch(m -> FakeSlack.actionIds(m.blocks()).isEmpty());
  }

  @Test
  void theHolderIsToldWhatTheAgentAskedAndTheirClickApprovesIt() throws Exception {
    String lease = askedOf("alice", "agent-read", "coder");
    eventually(() -> copies(lease).size() == 2, "the channel's and alice's copies");
    assertThat(copies(lease))
        .extracting(FakeSlack.Message::channel)
        .containsExactlyInAnyOrder(CHANNEL, FakeSlack.dm("U0ALICE"));
    String text = text(dm("U0ALICE", lease));
    assertThat(text)
        .contains("asked by agent coder (alice@example.com's)")
        .contains("read the alice-logs bucket for INC-71")
        .contains("bucket: `alice-logs`")
        .contains("```", "\"s3:ListBucket\"", "arn:aws:s3:::alice-logs")
        .contains("/ui/leases/" + lease);
    assertThat(FakeSlack.actionIds(dm("U0ALICE", lease).blocks()))
        .containsExactly(SlackLeaseMessage.APPROVE, SlackLeaseMessage.DENY);

    // A delivery repeated (as after a crash before the outbox recorded it) posts no second copy.
    eventually(() -> delivery(lease).startsWith("done:"), "the first delivery recorded");
    int attempts = Integer.parseInt(delivery(lease).substring("done:".length()));
    AuditTables.execute(
        TestPostgres.asSuperuser(db),
        "UPDATE outbox SET state = 'pending', next_attempt_at = now(), lease_until = NULL"
            + " WHERE listener = 'notify.slack.lease' AND comment = '"
            + lease
            + "'");
    eventually(() -> delivery(lease).equals("done:" + (attempts + 1)), "the delivery repeated");
    assertThat(copies(lease)).hasSize(2);

    click("U0ALICE", SlackLeaseMessage.APPROVE, lease);
    eventually(() -> state(lease).equals("active"), "alice's approval");
    eventually(
        () -> copies(lease).stream().allMatch(m -> text(m).contains("Approved* by alice")),
        "every copy updated");
    assertThat(copies(lease)).allMatch(m -> FakeSlack.actionIds(m.blocks()).isEmpty());
    assertThat(
            strings(
                "SELECT actor_subject FROM audit_events WHERE type = 'lease.approved'"
                    + " AND details->>'lease_id' = '"
                    + lease
                    + "'"))
        .containsExactly("alice");
  }

  @Test
  void aStepUpProfilesAskIsDecidedOnItsPage() throws Exception {
    String lease = askedOf("frank", "agent-stepup", "coder");
    eventually(() -> copies(lease).size() == 2, "the channel's and frank's copies");
    assertThat(FakeSlack.actionIds(dm("U0FRANK", lease).blocks())).containsExactly("stint.open");

    click("U0FRANK", SlackLeaseMessage.APPROVE, lease);

    eventually(() -> !clicks(lease, "refused").isEmpty(), "frank's click recorded");
    assertThat(state(lease)).isEqualTo("pending");
    assertThat(slack.calls("chat.postEphemeral"))
        .anyMatch(c -> c.fields().get("text").contains("/ui/leases/" + lease));
  }

  /**
   * Off Slack too, the holder's own vote on their agent's ask of a step-up profile counts only
   * after a fresh sign-in, as an approver's does: a token without one is refused and recorded.
   */
  @Test
  void theHoldersVoteOnAStepUpProfilesAskNeedsAFreshSignIn() throws Exception {
    String lease = askedOf("gina", "agent-stepup", "coder");

    JsonNode stale =
        post(idp.token("gina", "eng"), "/v1/leases/" + lease + "/approve", JSON.createObjectNode());

    assertThat(stale.path("status").asInt()).as(stale.toString()).isEqualTo(403);
    assertThat(stale.path("detail").asText()).contains("fresh sign-in");
    assertThat(state(lease)).isEqualTo("pending");
    assertThat(
            strings(
                "SELECT actor_subject FROM audit_events WHERE type = 'lease.refused'"
                    + " AND details->>'lease_id' = '"
                    + lease
                    + "'"))
        .containsExactly("gina");
    String fresh =
        idp.tokenWithClaims(
            "gina",
            Map.of(
                "email",
                "gina@example.com",
                "groups",
                List.of("eng"),
                "auth_time",
                Instant.now().getEpochSecond()));
    JsonNode approved = post(fresh, "/v1/leases/" + lease + "/approve", JSON.createObjectNode());
    assertThat(approved.path("state").asText()).as(approved.toString()).isEqualTo("active");
  }

  /** An active grant of {@code user}'s, an agent of theirs, its ask: the pending lease's id. */
  static String askedOf(String user, String profile, String agent) throws Exception {
    ObjectNode request =
        JSON.createObjectNode()
            .put("profile", profile)
            .put("duration_seconds", 3600)
            .put("reason", "INC-71 an agent's task");
    if (profile.equals("agent-read")) {
      request.putObject("parameters").put("bucket", user + "-logs");
    }
    String id = post(idp.token(user, "eng"), "/v1/requests", request).path("id").asText();
    // A fresh sign-in, for the step-up profile's approval.
    String sam =
        idp.tokenWithClaims(
            "sam",
            Map.of(
                "email",
                "sam@example.com",
                "groups",
                List.of("sre"),
                "auth_time",
                Instant.now().getEpochSecond()));
    JsonNode approved = post(sam, "/v1/requests/" + id + "/approve", JSON.createObjectNode());
    assertThat(approved.path("state").asText()).as(approved.toString()).isEqualTo("active");
    ObjectNode enroll = JSON.createObjectNode().put("name", agent);
    enroll.putArray("profiles").add(profile);
    String token = post(idp.token(user, "eng"), "/v1/agents", enroll).path("agent_token").asText();
    JsonNode asked =
        post(
            token,
            "/v1/agent/leases",
            JSON.createObjectNode()
                .put("profile", profile)
                .put("task", "read the " + user + "-logs bucket for INC-71")
                .put("duration_seconds", 900));
    assertThat(asked.path("state").asText()).as(asked.toString()).isEqualTo("pending");
    return asked.path("lease_id").asText();
  }

  static JsonNode post(String token, String path, ObjectNode body) throws Exception {
    HttpResponse<String> r =
        server.send(
            HttpRequest.newBuilder(server.uri(path))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build());
    return JSON.readTree(r.body());
  }

  static String state(String lease) {
    HttpResponse<String> r =
        server.send(
            HttpRequest.newBuilder(server.uri("/v1/leases/" + lease))
                .header("Authorization", "Bearer " + idp.token("sam", "sre"))
                .GET()
                .build());
    try {
      return JSON.readTree(r.body()).path("state").asText();
    } catch (java.io.IOException e) {
      throw new AssertionError(r.body(), e);
    }
  }

  static HttpResponse<String> click(String slackUser, String actionId, String lease)
      throws Exception {
    return SlackClicks.click(
        server, SECRET, CHANNEL, FakeSlack.TEAM, Instant.now(), slackUser, actionId, lease);
  }

  static List<FakeSlack.Message> copies(String lease) {
    return slack.messages().stream()
        .filter(m -> m.blocks().toString().contains("/ui/leases/" + lease))
        .toList();
  }

  static FakeSlack.Message dm(String slackUser, String lease) {
    return copies(lease).stream()
        .filter(m -> m.channel().equals(FakeSlack.dm(slackUser)))
        .findFirst()
        .orElseThrow();
  }

  static String text(FakeSlack.Message m) {
    return FakeSlack.text(m.blocks());
  }

  /** Who clicked on {@code lease}'s message with {@code outcome}, in order. */
  static List<String> clicks(String lease, String outcome) {
    return strings(
        "SELECT actor_subject FROM audit_events WHERE type = 'slack.interaction'"
            + " AND outcome = '"
            + outcome
            + "' AND details->>'lease_id' = '"
            + lease
            + "' ORDER BY seq");
  }

  /** The ask's Slack delivery: its state and attempts, {@code done:1} once delivered first go. */
  static String delivery(String lease) {
    List<String> rows =
        strings(
            "SELECT state || ':' || attempts FROM outbox WHERE listener = 'notify.slack.lease'"
                + " AND event = 'lease.requested' AND comment = '"
                + lease
                + "'");
    assertThat(rows).hasSize(1);
    return rows.get(0);
  }

  static List<String> strings(String sql) {
    try {
      return AuditTables.strings(db, sql);
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }

  static void eventually(BooleanSupplier done, String what) throws Exception {
    Eventually.until(what, Duration.ofSeconds(20), done::getAsBoolean);
  }
}
