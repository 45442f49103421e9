package dev.stint.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The pages end to end, each person in their own browser: requesting, the approval queue, approving
 * as two others, the self-approval refusal, revoking, break-glass review, the auditor's page, and
 * escaping of what people type.
 */
class WebPagesIT {
  static WebSite site;

  @BeforeAll
  static void start() {
    site = WebSite.start();
  }

  @AfterAll
  static void stop() throws Exception {
    site.close();
  }

  private static Browser signedIn(String user, String... groups) {
    return site.signedIn(user, groups);
  }

  /** Submits the new-request form; answers the new request's id. */
  private static String request(Browser b, String reason, Map<String, String> extra) {
    Map<String, String> form =
        new HashMap<>(Map.of("profile", "aws-prod", "duration_seconds", "3600", "reason", reason));
    form.putAll(extra);
    HttpResponse<String> created = b.submit("/ui/requests", form);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(303);
    String location = created.headers().firstValue("Location").orElseThrow();
    assertThat(location).startsWith("/ui/requests/");
    return location.substring("/ui/requests/".length());
  }

  @Test
  void requestApproveByTwoOthersAndRevoke() {
    Browser alice = signedIn("alice", "sre");
    HttpResponse<String> home = alice.get("/ui");
    assertThat(home.body())
        .contains("aws-prod")
        .contains("^INC-[0-9]+")
        .contains("<option value=\"7200\">2h</option>")
        .doesNotContain("value=\"14400\"")
        .doesNotContain("gcp-view");
    String id = request(alice, "INC-7 disk full", Map.of());

    HttpResponse<String> page = alice.get("/ui/requests/" + id);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body())
        .contains("state-pending")
        .contains("INC-7 disk full")
        .contains("You cannot approve your own request")
        .doesNotContain("/ui/requests/" + id + "/decide")
        .contains("request.created");
    assertThat(alice.get("/ui/approvals").body())
        .contains(id)
        .contains("Your request: others decide")
        .doesNotContain("/ui/requests/" + id + "/decide");
    // A forged approval of one's own request is refused by the server's rules.
    HttpResponse<String> forged = alice.submit("/ui/requests/" + id + "/approve", Map.of());
    assertThat(forged.statusCode()).isEqualTo(403);
    assertThat(alice.get("/ui/requests/" + id).body()).contains("state-pending");

    Browser bob = signedIn("bob", "sre");
    HttpResponse<String> queue = bob.get("/ui/approvals");
    assertThat(queue.body())
        .contains("action=\"/ui/requests/" + id + "/decide\"")
        .contains("name=\"decision\" value=\"approve\"")
        .contains("name=\"decision\" value=\"deny\"");
    HttpResponse<String> approved =
        bob.submit("/ui/requests/" + id + "/approve", Map.of("comment", "looks right"));
    assertThat(approved.statusCode()).isEqualTo(303);
    assertThat(bob.get("/ui/requests/" + id).body())
        .contains("state-pending")
        .contains("1 of 2")
        .contains("looks right");
    assertThat(bob.get("/ui/approvals").body()).contains("You approved at");

    Browser carol = signedIn("carol", "sre");
    assertThat(carol.submit("/ui/requests/" + id + "/approve", Map.of()).statusCode())
        .isEqualTo(303);
    HttpResponse<String> active = alice.get("/ui/requests/" + id);
    assertThat(active.body())
        .contains("state-active")
        .contains("2 of 2")
        .contains("request.approved")
        .contains("/ui/requests/" + id + "/revoke")
        .contains("Open console");

    assertThat(alice.submit("/ui/requests/" + id + "/revoke", Map.of()).statusCode())
        .isEqualTo(303);
    HttpResponse<String> revoked = alice.get("/ui/requests/" + id);
    assertThat(revoked.body())
        .contains("state-revoked")
        .contains("grant.revoked")
        .contains("revoked by alice@example.com")
        .doesNotContain("Open console");
  }

  @Test
  void theServerEnforcesTheReasonPatternAndTheMaximumDuration() {
    Browser alice = signedIn("alice2", "sre");
    HttpResponse<String> noTicket =
        alice.submit(
            "/ui/requests",
            Map.of("profile", "aws-prod", "duration_seconds", "3600", "reason", "just because"));
    assertThat(noTicket.statusCode()).isEqualTo(400);
    assertThat(noTicket.body()).contains("reason must match ^INC-[0-9]+");
    HttpResponse<String> tooLong =
        alice.submit(
            "/ui/requests",
            Map.of("profile", "aws-prod", "duration_seconds", "10800", "reason", "INC-9"));
    assertThat(tooLong.statusCode()).isEqualTo(400);
    assertThat(tooLong.body()).contains("exceeds the maximum of 2h");
    HttpResponse<String> notMine =
        alice.submit(
            "/ui/requests",
            Map.of("profile", "gcp-view", "duration_seconds", "600", "reason", "x"));
    assertThat(notMine.statusCode()).isEqualTo(403);
    assertThat(alice.get("/ui").body()).contains("You have no requests yet");
  }

  @Test
  void whatPeopleTypeIsShownAsTextNeverAsMarkup() {
    Browser alice = signedIn("mallory", "sre");
    String hostile = "INC-1 <script>alert('x')</script><img src=x onerror=alert(1)> \"quoted\"";
    String id = request(alice, hostile, Map.of("ticket", "<b>T-1</b>"));
    Browser bob = signedIn("bob3", "sre");
    bob.submit("/ui/requests/" + id + "/approve", Map.of("comment", "<iframe src=//evil>"));
    for (HttpResponse<String> page :
        new HttpResponse[] {
          alice.get("/ui/requests/" + id),
          alice.get("/ui"),
          bob.get("/ui/approvals"),
          bob.get("/ui/requests/" + id)
        }) {
      assertThat(page.body())
          .doesNotContain("<script>alert")
          .doesNotContain("<img src=x")
          .doesNotContain("<b>T-1")
          .doesNotContain("<iframe");
    }
    assertThat(alice.get("/ui/requests/" + id).body())
        .contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;")
        .contains("&quot;quoted&quot;")
        .contains("&lt;b&gt;T-1&lt;/b&gt;");
    assertThat(bob.get("/ui/requests/" + id).body()).contains("&lt;iframe src=//evil&gt;");
  }

  @Test
  void aRequestIsShownOnlyToThoseWhoMaySeeIt() {
    Browser alice = signedIn("alice4", "sre");
    String id = request(alice, "INC-4", Map.of());
    Browser dave = signedIn("dave", "eng");
    HttpResponse<String> page = dave.get("/ui/requests/" + id);
    assertThat(page.statusCode()).isEqualTo(404);
    assertThat(page.body()).doesNotContain("INC-4");
    assertThat(dave.get("/ui/approvals").body()).doesNotContain(id);
    assertThat(dave.get("/ui").body()).contains("gcp-view").doesNotContain("value=\"aws-prod\"");
    assertThat(dave.submit("/ui/requests/" + id + "/revoke", Map.of()).statusCode()).isEqualTo(404);
  }

  @Test
  void breakGlassUseIsListedForReviewAndReviewedByAnother() {
    Browser alice = signedIn("alice5", "sre");
    String id = request(alice, "INC-5 outage", Map.of("break_glass", "true"));
    assertThat(alice.get("/ui/requests/" + id).body())
        .contains("state-active")
        .contains("break-glass use not reviewed yet");
    assertThat(alice.get("/ui/break-glass").body())
        .contains(id)
        .doesNotContain("/ui/requests/" + id + "/review");

    Browser bob = signedIn("bob5", "sre");
    assertThat(bob.get("/ui/break-glass").body()).contains("/ui/requests/" + id + "/review");
    assertThat(bob.submit("/ui/requests/" + id + "/review", Map.of()).statusCode()).isEqualTo(303);
    assertThat(bob.get("/ui/break-glass").body()).doesNotContain(id);
    assertThat(bob.get("/ui/requests/" + id).body()).contains("reviewed by bob5@example.com");
  }

  @Test
  void theAuditPageIsForAuditorsOnly() {
    Browser alice = signedIn("alice6", "sre");
    String id = request(alice, "INC-6 audit me", Map.of());
    assertThat(alice.get("/ui").body()).doesNotContain("href=\"/ui/audit\"");
    for (String path : new String[] {"/ui/audit", "/ui/audit/export", "/ui/audit/events"}) {
      HttpResponse<String> r = alice.get(path);
      assertThat(r.statusCode()).as(path).isEqualTo(403);
      assertThat(r.body()).as(path).doesNotContain("request.created");
    }

    Browser sam = signedIn("sam", "security");
    assertThat(sam.get("/ui").body()).contains("href=\"/ui/audit\"");
    HttpResponse<String> all = sam.get("/ui/audit");
    assertThat(all.statusCode()).isEqualTo(200);
    assertThat(all.body())
        .contains("request.created")
        .contains(id)
        .contains("web.signed_in")
        .contains("/ui/audit/export?")
        .contains("/ui/static/audit.js");
    HttpResponse<String> filtered =
        sam.get("/ui/audit?actor=alice6%40example.com&type=request.created");
    assertThat(filtered.body())
        .contains(id)
        .doesNotContain("web.signed_in")
        .contains("value=\"request.created\"");
    HttpResponse<String> export = sam.get("/ui/audit/export?type=request.created&actor=alice6");
    assertThat(export.statusCode()).isEqualTo(200);
    assertThat(export.headers().firstValue("Content-Disposition").orElseThrow())
        .contains("attachment");
    assertThat(export.body().lines())
        .hasSize(1)
        .allSatisfy(
            line ->
                assertThat(line)
                    .contains("\"type\":\"request.created\"")
                    .contains("\"request_id\":\"" + id + "\"")
                    .contains("\"hash\":"));
    // The live stream answers auditors with server-sent events.
    HttpResponse<InputStream> live =
        sam.http
            .sendAsync(
                HttpRequest.newBuilder(site.server.uri("/ui/audit/events")).build(),
                HttpResponse.BodyHandlers.ofInputStream())
            .join();
    assertThat(live.statusCode()).isEqualTo(200);
    assertThat(live.headers().firstValue("Content-Type").orElseThrow())
        .startsWith("text/event-stream");
    try (InputStream in = live.body()) {
      assertThat(new String(in.readNBytes(20), StandardCharsets.UTF_8))
          .startsWith(": stint audit stream");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    HttpResponse<String> bad = sam.get("/ui/audit?since=yesterday");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("ISO-8601");
  }
}
