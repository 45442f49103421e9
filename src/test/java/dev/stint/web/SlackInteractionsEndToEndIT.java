package dev.stint.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stint.notify.slack.SlackMessage;
import dev.stint.notify.slack.SlackSignature;
import dev.stint.testing.Eventually;
import dev.stint.testing.FakeSlack;
import dev.stint.testing.MutableClock;
import dev.stint.testing.TestIdp;
import dev.stint.testing.TestPostgres;
import dev.stint.testing.TestServer;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The whole Slack loop through the real server, the real Slack client and the real IdP: people link
 * their Slack accounts on /ui/slack/link, a signed click from a linked approver counts, and every
 * click that must not count (forged, old, edited, unlinked, self-approval, the requester's own
 * deny, an unknown request or action, a stale identity) changes nothing and is audited.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SlackInteractionsEndToEndIT {
  static final String CHANNEL = "C0APPROVALS";
  static final String SECRET = "0123456789abcdef0123456789abcdef";
  static final String SCIM_TOKEN = "scim-slack-it-token-0123456789abcdef012345";
  static final Duration WAIT = Duration.ofSeconds(20);
  static final ObjectMapper JSON = new ObjectMapper();
  static final Pattern CODE = Pattern.compile("linking code is ([A-Z0-9]{8})");
  static FakeSlack slack;
  static TestIdp idp;
  static TestServer server;
  static MutableClock clock;
  static String request;

  /** A profile whose approvals are made on the web page only. */
  static final String STEP_UP =
      "  aws-root:\n"
          + "    aws: {role_arn: 'arn:aws:iam::111122223333:role/root-admin', mode: assume_role}\n"
          + "    max_duration: 1h\n"
          + "    requesters: 'principal.groups.exists(g, g == \"sre\")'\n"
          + "    approval: {count: 1, approvers: 'principal.groups.exists(g, g == \"sre\")',"
          + " step_up: true}\n";

  @BeforeAll
  static void start() throws Exception {
    slack =
        new FakeSlack(CHANNEL)
            .user("U0ALICE")
            .user("U0BOB")
            .user("U0CAROL")
            .user("U0DAVE")
            .user("U0ERIN");
    idp = new TestIdp("corp");
    clock = new MutableClock(Instant.now());
    server =
        TestServer.start(
            TestPostgres.migratedDatabase(),
            Map.of(
                "STINT_SLACK_BOT_TOKEN",
                FakeSlack.TOKEN,
                "STINT_SLACK_SIGNING_SECRET",
                SECRET,
                "STINT_SLACK_CHANNEL",
                CHANNEL,
                "STINT_SLACK_API_URL",
                slack.apiUrl().toString(),
                "STINT_SLACK_IDENTITY_MAX_AGE",
                "7d",
                "STINT_DIRECTORY_SCIM_TOKEN",
                SCIM_TOKEN,
                "STINT_DIRECTORY_ISSUER",
                "corp"),
            WebTestSetup.policy(idp) + STEP_UP,
            clock);
    link("alice", "U0ALICE");
    link("bob", "U0BOB");
    link("carol", "U0CAROL");
    request = create("alice", "aws-prod");
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    idp.close();
    slack.close();
  }

  static void link(String user, String slackUser) {
    link(user, slackUser, Map.of());
  }

  /**
   * Signs in on the web (with {@code claims} besides, such as a fresh auth_time), asks for a code
   * for the Slack user, reads the DM, types it back.
   */
  static void link(String user, String slackUser, Map<String, Object> claims) {
    Browser b = new Browser(server);
    idp.nextLogin(user, WebTestSetup.CLIENT, claims, "sre");
    assertThat(b.get(b.authorize(b.startLogin())).statusCode()).isEqualTo(303);
    HttpResponse<String> asked = b.submit("/ui/slack/link", Map.of("slack_user", slackUser));
    assertThat(asked.statusCode()).as(asked.body()).isEqualTo(200);
    String dm =
        slack.messages().stream()
            .filter(m -> m.channel().equals(FakeSlack.dm(slackUser)))
            .reduce((a, z) -> z)
            .orElseThrow()
            .text();
    Matcher code = CODE.matcher(dm);
    assertThat(code.find()).as(dm).isTrue();
    assertThat(dm)
        .as("the DM names who asked")
        .contains(
            user + "@example.com (" + idp.issuer() + ") asked to link this Slack account",
            "never give it to anyone");
    assertThat(b.submit("/ui/slack/link", Map.of("slack_user", slackUser)).statusCode())
        .isEqualTo(200);
    HttpResponse<String> stale = b.submit("/ui/slack/link/confirm", Map.of("code", code.group(1)));
    assertThat(stale.statusCode()).as("the first code was replaced by the second").isEqualTo(400);
    String dm2 =
        slack.messages().stream()
            .filter(m -> m.channel().equals(FakeSlack.dm(slackUser)))
            .reduce((a, z) -> z)
            .orElseThrow()
            .text();
    Matcher code2 = CODE.matcher(dm2);
    assertThat(code2.find()).isTrue();
    assertThat(b.submit("/ui/slack/link/confirm", Map.of("code", code2.group(1))).statusCode())
        .isEqualTo(303);
    assertThat(b.get("/ui/slack/link").body()).contains(slackUser, "is linked");
  }

  static String create(String user, String profile) throws Exception {
    return SlackClicks.request(server, idp, user, profile);
  }

  static String payload(String slackUser, String actionId, String value) throws Exception {
    var p = JSON.createObjectNode().put("type", "block_actions");
    p.putObject("user").put("id", slackUser).put("team_id", FakeSlack.TEAM);
    p.putObject("team").put("id", FakeSlack.TEAM);
    p.putObject("channel").put("id", CHANNEL);
    p.putArray("actions")
        .addObject()
        .put("type", "button")
        .put("action_id", actionId)
        .put("value", value);
    // Slack sends the whole message back with a click (blocks, fallback text, bot profile): with
    // a few votes and a non-Latin reason, escaped as \\uXXXX, one payload field passes 8 KiB.
    p.putObject("message")
        .put("type", "message")
        .put("text", "\\u0437\\u0430\\u043f\\u0440\\u043e\\u0441 ".repeat(400));
    return "payload=" + URLEncoder.encode(JSON.writeValueAsString(p), StandardCharsets.UTF_8);
  }

  static HttpResponse<String> post(String body, String timestamp, String signature) {
    HttpRequest.Builder r =
        HttpRequest.newBuilder(server.uri("/v1/slack/interactions"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (timestamp != null) {
      r.header(SlackSignature.TIMESTAMP_HEADER, timestamp);
    }
    if (signature != null) {
      r.header(SlackSignature.SIGNATURE_HEADER, signature);
    }
    return server.send(r.build());
  }

  /** As Slack sends it: signed now, by the server's clock. */
  static HttpResponse<String> click(String slackUser, String actionId, String value)
      throws Exception {
    String body = payload(slackUser, actionId, value);
    String ts = Long.toString(clock.instant().getEpochSecond());
    return post(body, ts, SlackSignature.sign(SECRET, ts, body.getBytes(StandardCharsets.UTF_8)));
  }

  static JsonNode requestJson() throws Exception {
    HttpResponse<String> r = server.get("/v1/requests/" + request, idp.token("alice", "sre"));
    return JSON.readTree(r.body());
  }

  static String audit() {
    return server
        .get("/v1/audit?type=slack.interaction&limit=200", idp.token("sam", "security"))
        .body();
  }

  static String messageText() throws Exception {
    return FakeSlack.text(
        Eventually.get(
                "the request's message",
                WAIT,
                () ->
                    slack.messages().stream()
                        .filter(m -> FakeSlack.text(m.blocks()).contains(request))
                        .findFirst())
            .blocks());
  }

  static void unchanged(String why) throws Exception {
    JsonNode r = requestJson();
    assertThat(r.path("state").asText()).as(why).isEqualTo("pending");
    assertThat(r.path("approvals").size()).as(why).isEqualTo(expectedVotes);
  }

  static int expectedVotes = 0;

  @Test
  @Order(1)
  void forgedOldAndEditedCallsAre401AndChangeNothing() throws Exception {
    String body = payload("U0BOB", SlackMessage.APPROVE, request);
    String now = Long.toString(clock.instant().getEpochSecond());
    String good = SlackSignature.sign(SECRET, now, body.getBytes(StandardCharsets.UTF_8));
    String old = Long.toString(clock.instant().minusSeconds(301).getEpochSecond());
    String edited = payload("U0BOB", SlackMessage.DENY, request);
    assertThat(post(body, now, null).statusCode()).isEqualTo(401);
    assertThat(post(body, null, good).statusCode()).isEqualTo(401);
    assertThat(
            post(
                    body,
                    now,
                    SlackSignature.sign(
                        "another-secret-0123456789", now, body.getBytes(StandardCharsets.UTF_8)))
                .statusCode())
        .isEqualTo(401);
    assertThat(
            post(body, old, SlackSignature.sign(SECRET, old, body.getBytes(StandardCharsets.UTF_8)))
                .statusCode())
        .isEqualTo(401);
    assertThat(post(edited, now, good).statusCode()).isEqualTo(401);
    unchanged("no unsigned click counts");
    // Not audited (anyone could write to the audit log so), but counted.
    assertThat(audit())
        .doesNotContain("no Slack signature", "wrong Slack signature", "outside five minutes");
    String metrics =
        server.send(HttpRequest.newBuilder(server.uri("/metrics")).GET().build()).body();
    assertThat(metrics).contains("stint_slack_unverified_calls_total 5.0");
  }

  @Test
  @Order(2)
  void clicksThatMustNotCountAreRefusedToldAndAudited() throws Exception {
    messageText();
    assertThat(click("U0DAVE", SlackMessage.APPROVE, request).statusCode()).isEqualTo(200);
    assertThat(click("U0ALICE", SlackMessage.APPROVE, request).statusCode()).isEqualTo(200);
    assertThat(click("U0ALICE", SlackMessage.DENY, request).statusCode()).isEqualTo(200);
    assertThat(click("U0BOB", SlackMessage.APPROVE, "req_nosuchrequest").statusCode())
        .isEqualTo(200);
    assertThat(click("U0BOB", "stint.delete", request).statusCode()).isEqualTo(200);
    unchanged("no refused click counts");
    // Each clicker is told after the click is answered: Slack's answer does not wait for it.
    Eventually.until(
        "dave and alice are told",
        WAIT,
        () ->
            slack.calls("chat.postEphemeral").stream()
                .map(c -> c.fields().get("user"))
                .toList()
                .containsAll(List.of("U0DAVE", "U0ALICE")));
    assertThat(
            slack.calls("chat.postEphemeral").stream()
                .filter(c -> "U0DAVE".equals(c.fields().get("user")))
                .findFirst()
                .orElseThrow()
                .fields()
                .get("text"))
        .contains("/ui/slack/link");
    String audit = audit();
    assertThat(audit)
        .contains(
            "Slack user not linked to a stint person",
            "unknown action",
            "no request req_nosuchrequest",
            "you cannot approve your own request",
            "you cannot deny your own request");
    assertThat(audit.split("\"refused\"", -1).length - 1).isEqualTo(5);
  }

  @Test
  @Order(3)
  void aLinkedApproversClickCountsAndTheMessageFollows() throws Exception {
    String body = payload("U0BOB", SlackMessage.APPROVE, request);
    String ts = Long.toString(clock.instant().getEpochSecond());
    String signature = SlackSignature.sign(SECRET, ts, body.getBytes(StandardCharsets.UTF_8));
    assertThat(post(body, ts, signature).statusCode()).isEqualTo(200);
    expectedVotes = 1;
    // The same signed call again, within the window: one vote per approver, so it changes nothing.
    assertThat(post(body, ts, signature).statusCode()).isEqualTo(200);
    unchanged("one of two approvals");
    assertThat(requestJson().path("approvals").get(0).toString()).contains("bob");
    Eventually.until(
        "the message shows bob's vote",
        WAIT,
        () -> messageText().contains("1 of 2") && messageText().contains("bob"));
    assertThat(audit()).contains("approve from Slack", "you have already decided on this request");
  }

  @Test
  @Order(4)
  void aStaleIdentityIsRefusedWithTheLinkAndChangesNothing() throws Exception {
    clock.advance(Duration.ofDays(8));
    assertThat(click("U0CAROL", SlackMessage.APPROVE, request).statusCode()).isEqualTo(200);
    clock.advance(Duration.ofDays(-8));
    unchanged("a stale identity does not count");
    assertThat(audit()).contains("older than notify.slack.identity_max_age");
    // The clicker is told after the click is answered: Slack's answer does not wait for it.
    assertThat(
            Eventually.get(
                    "carol is told",
                    WAIT,
                    () ->
                        slack.calls("chat.postEphemeral").stream()
                            .filter(c -> "U0CAROL".equals(c.fields().get("user")))
                            .findFirst())
                .fields()
                .get("text"))
        .contains("/ui/slack/link");
  }

  @Test
  @Order(5)
  void anApprovalThroughTheApiFinishesTheMessage() throws Exception {
    HttpResponse<String> r =
        server.send(
            HttpRequest.newBuilder(server.uri("/v1/requests/" + request + "/approve"))
                .header("Authorization", "Bearer " + idp.token("carol", "sre"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    Eventually.until(
        "the message shows the approval", WAIT, () -> messageText().contains("*Approved*"));
    assertThat(Optional.of(messageText()))
        .hasValueSatisfying(t -> assertThat(t).contains("2 of 2"));
  }

  @Test
  @Order(6)
  void aStepUpProfileIsDecidedOnTheWebPageOnly() throws Exception {
    String id = create("alice", "aws-root");
    FakeSlack.Message m =
        Eventually.get(
            "the step-up message",
            WAIT,
            () ->
                slack.messages().stream()
                    .filter(x -> FakeSlack.text(x.blocks()).contains(id))
                    .findFirst());
    assertThat(FakeSlack.actionIds(m.blocks())).containsExactly(SlackMessage.OPEN);
    assertThat(m.blocks().findValue("url").asText()).endsWith("/ui/requests/" + id);
    assertThat(click("U0BOB", SlackMessage.OPEN, id).statusCode()).isEqualTo(200);
    // A hand-made approve click for the same request is refused all the same.
    assertThat(click("U0BOB", SlackMessage.APPROVE, id).statusCode()).isEqualTo(200);
    JsonNode r = JSON.readTree(server.get("/v1/requests/" + id, idp.token("alice", "sre")).body());
    assertThat(r.path("state").asText()).isEqualTo("pending");
    assertThat(r.path("approvals").size()).isZero();
    assertThat(audit()).contains("opened the web page", "step-up profile");
  }

  @Test
  @Order(7)
  void aLinkCountsOnlyWhileItsIssuerIsStillTheWebIssuer() throws Exception {
    String id = create("alice", "aws-prod");
    try (TestIdp other = new TestIdp("other")) {
      // The web sign-in moves to another issuer; corp stays trusted for API tokens.
      writePolicy(
          (WebTestSetup.policy(idp) + STEP_UP)
                  .replace("issuers:\n", "issuers:\n" + other.issuerYaml("other"))
                  .replace("web: {issuer: corp,", "web: {issuer: other,")
              + "  reloaded:\n    gcp: {service_account: reader@prod-proj.iam.gserviceaccount.com,"
              + " scopes: [cloud-platform]}\n    max_duration: 1h\n    requesters: 'true'\n"
              + "    approval: {count: 1, approvers: 'true'}\n");
      Eventually.until(
          "the new policy",
          WAIT,
          () -> server.get("/v1/profiles", idp.token("alice", "sre")).body().contains("reloaded"));
      assertThat(click("U0BOB", SlackMessage.APPROVE, id).statusCode()).isEqualTo(200);
      JsonNode r =
          JSON.readTree(server.get("/v1/requests/" + id, idp.token("alice", "sre")).body());
      assertThat(r.path("approvals").size()).as("bob's link was made under corp").isZero();
      assertThat(audit()).contains("the linked person's issuer is no longer the policy's");
    } finally {
      writePolicy(WebTestSetup.policy(idp) + STEP_UP);
      // The first policy in force again, whole: its profiles listed to a token it trusts (a
      // refused token lists nothing, and says nothing of "reloaded" either).
      Eventually.until(
          "the first policy again",
          WAIT,
          () -> {
            var listed = server.get("/v1/profiles", idp.token("alice", "sre"));
            return listed.statusCode() == 200
                && listed.body().contains("aws-prod")
                && !listed.body().contains("reloaded");
          });
    }
  }

  /**
   * Replaces the policy file whole: written beside it under a name the loader does not read, then
   * moved over it, so the watcher never reads half a file (which can parse, and lose the issuers).
   */
  static void writePolicy(String text) throws IOException {
    Path file = server.policiesDir().resolve("policy.yaml");
    Path next = server.policiesDir().resolve("policy.yaml.next");
    Files.writeString(next, text);
    Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  @Test
  @Order(8)
  void aStepUpDecisionNeedsAFreshSignInOnEveryChannel() throws Exception {
    String id = create("alice", "aws-root");
    String approve = "/v1/requests/" + id + "/approve";
    // The API and the CLI: a token without a recent auth_time is refused with what to do.
    HttpResponse<String> stale =
        server.send(
            HttpRequest.newBuilder(server.uri(approve))
                .header("Authorization", "Bearer " + idp.token("bob", "sre"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build());
    assertThat(stale.statusCode()).isEqualTo(403);
    assertThat(stale.body()).contains("needs a fresh sign-in to decide (step-up)");

    // The web page: an approver signed in without a fresh login is offered one instead of buttons.
    Browser bob = new Browser(server);
    bob.signIn(idp, "bob", "sre");
    String page = bob.get("/ui/requests/" + id).body();
    assertThat(page).contains("Sign in again to decide").doesNotContain(">Approve</button>");
    HttpResponse<String> again = bob.get("/ui/login?fresh=1&return_to=/ui/requests/" + id);
    assertThat(Browser.query(again.headers().firstValue("Location").orElseThrow()))
        .containsEntry("max_age", "0");
    idp.nextLogin(
        "bob", WebTestSetup.CLIENT, Map.of("auth_time", clock.instant().getEpochSecond()), "sre");
    assertThat(
            bob.get(bob.authorize(again.headers().firstValue("Location").orElseThrow()))
                .statusCode())
        .isEqualTo(303);
    assertThat(bob.get("/ui/requests/" + id).body()).contains(">Approve</button>");
    HttpResponse<String> decided = bob.submit("/ui/requests/" + id + "/approve", Map.of());
    assertThat(decided.statusCode()).as(decided.body()).isEqualTo(303);
    assertThat(
            JSON.readTree(server.get("/v1/requests/" + id, idp.token("alice", "sre")).body())
                .path("state")
                .asText())
        .as("approved, and in effect")
        .isEqualTo("active");
  }

  @Test
  @Order(9)
  void aBundleWithAStepUpProfileAnywhereIsDecidedOnTheWebPageOnly() throws Exception {
    // Dave links right after a fresh sign-in, which the API would take as step-up: in Slack it
    // must not count on any profile of the bundle, the step-up one second.
    link("dave", "U0DAVE", Map.of("auth_time", clock.instant().getEpochSecond()));
    HttpResponse<String> created =
        server.send(
            HttpRequest.newBuilder(server.uri("/v1/requests"))
                .header("Authorization", "Bearer " + idp.token("alice", "sre"))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"profiles\":[\"aws-prod\",\"aws-root\"],"
                            + "\"duration_seconds\":3600,\"reason\":\"INC-9 slack bundle\"}"))
                .build());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    JsonNode bundle = JSON.readTree(created.body());
    String first = bundle.get("requests").get(0).get("id").asText();
    Eventually.get(
        "the bundle's message",
        WAIT,
        () ->
            slack.messages().stream()
                .filter(x -> FakeSlack.text(x.blocks()).contains(first))
                .findFirst());

    assertThat(click("U0DAVE", SlackMessage.APPROVE, first).statusCode()).isEqualTo(200);
    JsonNode after =
        JSON.readTree(
            server
                .get("/v1/requests/" + bundle.get("id").asText(), idp.token("alice", "sre"))
                .body());
    assertThat(after.get("requests"))
        .hasSize(2)
        .allSatisfy(
            r -> assertThat(r.path("approvals").size()).as(r.path("profile").asText()).isZero());
    assertThat(audit()).contains("step-up profile 'aws-root': decided on the web page only");
  }

  @Test
  @Order(10)
  void aPersonTheDirectoryDeactivatesIsRefusedInSlackAndOnThePages() throws Exception {
    link("erin", "U0ERIN");
    Browser signedIn = new Browser(server);
    idp.nextLogin("erin", WebTestSetup.CLIENT, Map.of(), "sre");
    assertThat(signedIn.get(signedIn.authorize(signedIn.startLogin())).statusCode()).isEqualTo(303);
    assertThat(signedIn.get("/ui").statusCode()).isEqualTo(200);
    String theirs = create("alice", "aws-prod");

    String user =
        JSON.readTree(
                scim(
                        "POST",
                        "/scim/v2/Users",
                        "{\"userName\":\"erin@example.com\",\"externalId\":\"erin\"}")
                    .body())
            .get("id")
            .asText();
    HttpResponse<String> off =
        scim(
            "PATCH",
            "/scim/v2/Users/" + user,
            "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],"
                + "\"Operations\":[{\"op\":\"Replace\",\"path\":\"active\","
                + "\"value\":\"False\"}]}");
    assertThat(off.statusCode()).as(off.body()).isEqualTo(200);

    Eventually.until(
        "erin's session to stop counting", WAIT, () -> signedIn.get("/ui").statusCode() == 302);
    assertThat(signedIn.get("/ui").statusCode()).isEqualTo(302);
    JsonNode refusals =
        JSON.readTree(
            server
                .get("/v1/audit?type=identity.refused&limit=50", idp.token("sam", "security"))
                .body());
    long atTheSession = 0;
    for (JsonNode e : refusals.path("events")) {
      if (e.at("/details/path").asText().equals("/ui")
          && e.path("actor_subject").asText().equals("erin")) {
        atTheSession++;
      }
    }
    assertThat(atTheSession)
        .as("the session's refusal is recorded once, and the session ended: " + refusals)
        .isEqualTo(1);
    assertThat(click("U0ERIN", SlackMessage.APPROVE, theirs).statusCode()).isEqualTo(200);
    JsonNode r =
        JSON.readTree(server.get("/v1/requests/" + theirs, idp.token("alice", "sre")).body());
    assertThat(r.path("approvals").size()).as("a leaver's click does not count").isZero();
    assertThat(audit()).contains("the directory has deactivated or deleted this person");

    Browser again = new Browser(server);
    idp.nextLogin("erin", WebTestSetup.CLIENT, Map.of(), "sre");
    HttpResponse<String> refused = again.get(again.authorize(again.startLogin()));
    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
    assertThat(refused.body()).contains("the directory has deactivated or deleted this person");
    assertThat(
            server
                .get("/v1/audit?type=identity.refused&limit=50", idp.token("sam", "security"))
                .body())
        .contains("/ui/callback", "the directory has deactivated or deleted this person");
  }

  static HttpResponse<String> scim(String method, String path, String body) {
    return server.send(
        HttpRequest.newBuilder(server.uri(path))
            .header("Authorization", "Bearer " + SCIM_TOKEN)
            .header("Content-Type", "application/scim+json")
            .method(method, HttpRequest.BodyPublishers.ofString(body))
            .build());
  }
}
