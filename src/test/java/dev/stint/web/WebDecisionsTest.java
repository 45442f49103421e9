package dev.stint.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The decision forms on a real server (embedded Postgres, the test IdP, java.net.http as the
 * browser): a revoke only through its confirmation, Open console before Revoke, a decision already
 * made shown instead of its buttons, and one comment box whose text goes with the button pressed.
 */
class WebDecisionsTest {
  static WebSite site;

  @BeforeAll
  static void start() {
    site = WebSite.start();
  }

  @AfterAll
  static void stop() throws Exception {
    site.close();
  }

  private static String request(Browser b, String reason) {
    HttpResponse<String> created =
        b.submit(
            "/ui/requests",
            new HashMap<>(
                Map.of("profile", "aws-prod", "duration_seconds", "3600", "reason", reason)));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(303);
    return created
        .headers()
        .firstValue("Location")
        .orElseThrow()
        .substring("/ui/requests/".length());
  }

  private static HttpResponse<String> decide(Browser b, String id, String decision, String c) {
    return b.submit("/ui/requests/" + id + "/decide", Map.of("decision", decision, "comment", c));
  }

  /** A request of {@code who}'s, approved by two others: its grant is active. */
  private static String active(Browser who, String tag) {
    String id = request(who, "INC-" + tag + " active");
    assertThat(decide(site.signedIn("ap1-" + tag, "sre"), id, "approve", "").statusCode())
        .isEqualTo(303);
    assertThat(decide(site.signedIn("ap2-" + tag, "sre"), id, "approve", "").statusCode())
        .isEqualTo(303);
    assertThat(who.get("/ui/requests/" + id).body()).contains("state-active");
    return id;
  }

  @Test
  void revokeIsALinkToAConfirmationAndOpenConsoleComesFirst() {
    Browser alice = site.signedIn("rv-alice", "sre");
    String id = active(alice, "101");
    String page = alice.get("/ui/requests/" + id).body();
    assertThat(page)
        .contains("href=\"/ui/requests/" + id + "/revoke\"")
        .doesNotContain("action=\"/ui/requests/" + id + "/revoke\"");
    assertThat(page.indexOf("Open console")).isPositive().isLessThan(page.indexOf("Revoke…"));
    assertThat(page)
        .as("no Slack app on this server: no Slack in the header (the demo's has one)")
        .doesNotContain("href=\"/ui/slack/link\"");
    assertThat(page)
        .as("the console opens in a new tab, without a handle back to stint")
        .containsPattern(
            "<form method=\"post\" action=\"/ui/requests/"
                + id
                + "/console\" class=\"inline\"\\s+target=\"_blank\" rel=\"noopener\">");

    HttpResponse<String> confirm = alice.get("/ui/requests/" + id + "/revoke");
    assertThat(confirm.statusCode()).isEqualTo(200);
    assertThat(confirm.body())
        .contains("method=\"post\" action=\"/ui/requests/" + id + "/revoke\"")
        .contains("name=\"csrf\"")
        .contains("name=\"comment\"")
        .contains("Revoke now");
    // Looking at the confirmation changes nothing.
    assertThat(alice.get("/ui/requests/" + id).body()).contains("state-active");

    HttpResponse<String> revoked =
        alice.submit("/ui/requests/" + id + "/revoke", Map.of("comment", "done with the fix"));
    assertThat(revoked.statusCode()).isEqualTo(303);
    assertThat(alice.get("/ui/requests/" + id).body())
        .contains("state-revoked")
        .contains("grant.revoked")
        .contains("done with the fix");
  }

  @Test
  void theConfirmationIsRefusedToThoseWhoMayNotRevokeAndTheRevokeNeedsCsrf() {
    Browser alice = site.signedIn("rv2-alice", "sre");
    String id = active(alice, "102");
    Browser dave = site.signedIn("rv2-dave", "eng");
    assertThat(dave.get("/ui/requests/" + id + "/revoke").statusCode()).isEqualTo(404);
    HttpResponse<String> forged =
        alice.post("/ui/requests/" + id + "/revoke", Map.of("comment", "no token"));
    assertThat(forged.statusCode()).isEqualTo(403);
    assertThat(alice.get("/ui/requests/" + id).body()).contains("state-active");
  }

  @Test
  void aVoterSeesTheirDecisionInsteadOfTheButtons() {
    Browser alice = site.signedIn("v-alice", "sre");
    String id = request(alice, "INC-103 voted");
    Browser bob = site.signedIn("v-bob", "sre");
    assertThat(bob.get("/ui/requests/" + id).body()).contains("value=\"approve\"");
    assertThat(decide(bob, id, "approve", "fine by me").statusCode()).isEqualTo(303);
    for (String path : new String[] {"/ui/requests/" + id, "/ui/approvals"}) {
      String body = bob.get(path).body();
      assertThat(body).as(path).contains("You approved at").contains("fine by me");
      assertThat(body).as(path).doesNotContain("action=\"/ui/requests/" + id + "/decide\"");
    }
    // Another approver who has not voted still gets the form.
    assertThat(site.signedIn("v-carol", "sre").get("/ui/requests/" + id).body())
        .contains("action=\"/ui/requests/" + id + "/decide\"")
        .doesNotContain("You approved at");
  }

  @Test
  void oneCommentGoesWithTheButtonPressed() {
    Browser alice = site.signedIn("d-alice", "sre");
    String id = request(alice, "INC-104 deny me");
    Browser carol = site.signedIn("d-carol", "sre");
    String form = carol.get("/ui/requests/" + id).body();
    assertThat(form.split("name=\"comment\"", -1)).as("one comment box").hasSize(2);

    assertThat(decide(carol, id, "deny", "not during the freeze").statusCode()).isEqualTo(303);
    String page = alice.get("/ui/requests/" + id).body();
    assertThat(page)
        .contains("state-denied")
        .containsPattern("<strong>deny</strong> by d-carol@example.com at .*not during the freeze");
    assertThat(carol.get("/ui/requests/" + id).body()).contains("You denied at");
  }

  @Test
  void anExtensionsApprovalRecordsTheApproversCommentNotTheExtensionsReason() {
    Browser alice = site.signedIn("x-alice", "sre");
    String id = active(alice, "106");
    assertThat(
            alice
                .submit(
                    "/ui/requests/" + id + "/extend",
                    Map.of("duration_seconds", "900", "reason", "INC-106 needs longer"))
                .statusCode())
        .isEqualTo(303);
    Matcher m =
        Pattern.compile("/ui/extensions/(ext_[A-Za-z0-9_-]+)/cancel")
            .matcher(alice.get("/ui/requests/" + id).body());
    assertThat(m.find()).isTrue();
    String ext = m.group(1);
    Browser bob = site.signedIn("x-bob", "sre");
    assertThat(
            bob.submit(
                    "/ui/extensions/" + ext + "/decide",
                    Map.of("decision", "approve", "comment", "fine by bob"))
                .statusCode())
        .isEqualTo(303);
    assertThat(bob.get("/ui/requests/" + id).body())
        .contains("extension " + ext + " approval recorded")
        .contains("You approved at");

    Browser sam = site.signedIn("x-sam", "security");
    String export = sam.get("/ui/audit/export?type=approval.recorded&actor=x-bob").body();
    assertThat(export.lines())
        .singleElement()
        .satisfies(
            line ->
                assertThat(line)
                    .contains("\"reason\":\"fine by bob\"")
                    .contains("\"extension_reason\":\"INC-106 needs longer\"")
                    .contains("\"extension_id\":\"" + ext + "\""));
  }

  @Test
  void aDecisionWithoutAButtonIsRefusedAndSelfApprovalStaysRefused() {
    Browser alice = site.signedIn("n-alice", "sre");
    String id = request(alice, "INC-105");
    Browser bob = site.signedIn("n-bob", "sre");
    HttpResponse<String> none =
        bob.submit("/ui/requests/" + id + "/decide", Map.of("comment", "which?"));
    assertThat(none.statusCode()).isEqualTo(400);
    assertThat(none.body()).contains("choose approve or deny");
    assertThat(decide(bob, id, "maybe", "").statusCode()).isEqualTo(400);
    assertThat(decide(alice, id, "approve", "me").statusCode()).isEqualTo(403);
    assertThat(alice.get("/ui/requests/" + id).body()).contains("state-pending").contains("0 of 2");
  }
}
