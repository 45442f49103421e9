package dev.stint.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Extending a grant from the pages: the holder's form offers only what the profile's max_total
 * still allows, the extension waits in the approval queue, the holder cannot approve it (no button,
 * and a forged post is refused), and two others' approvals move the grant's end. A refused ask
 * comes back as the request page, its form filled and the reason beside the field.
 */
class WebExtensionIT {
  private static final Pattern EXTENSION =
      Pattern.compile("/ui/extensions/(ext_[A-Za-z0-9_-]+)/cancel");
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

  /** A one-hour aws-prod grant of {@code holder}, approved by the two others. */
  private static String activeGrant(Browser holder, Browser first, Browser second) {
    HttpResponse<String> created =
        holder.submit(
            "/ui/requests",
            Map.of(
                "profile", "aws-prod", "duration_seconds", "3600", "reason", "INC-20 migration"));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(303);
    String id =
        created.headers().firstValue("Location").orElseThrow().substring("/ui/requests/".length());
    assertThat(first.submit("/ui/requests/" + id + "/approve", Map.of()).statusCode())
        .isEqualTo(303);
    assertThat(second.submit("/ui/requests/" + id + "/approve", Map.of()).statusCode())
        .isEqualTo(303);
    assertThat(holder.get("/ui/requests/" + id).body()).contains("state-active");
    return id;
  }

  @Test
  void anExtensionIsAskedOnThePageAndApprovedByTwoOthers() {
    Browser alice = signedIn("ext-alice", "sre");
    Browser bob = signedIn("ext-bob", "sre");
    Browser carol = signedIn("ext-carol", "sre");
    String id = activeGrant(alice, bob, carol);

    // 1h of a 4h max_total is used: the form offers up to 3h more, and nothing beyond.
    String page = alice.get("/ui/requests/" + id).body();
    assertThat(page)
        .contains("action=\"/ui/requests/" + id + "/extend\"")
        .contains("<option value=\"10800\">3h</option>")
        .doesNotContain("value=\"14400\"")
        .contains("No extension asked for");
    // Others see the grant but get no Extend form: only the holder asks.
    assertThat(bob.get("/ui/requests/" + id).body()).doesNotContain("/extend\"");

    HttpResponse<String> asked =
        alice.submit(
            "/ui/requests/" + id + "/extend",
            Map.of("duration_seconds", "3600", "reason", "INC-20 still running"));
    assertThat(asked.statusCode()).as(asked.body()).isEqualTo(303);
    String pending = alice.get("/ui/requests/" + id).body();
    Matcher m = EXTENSION.matcher(pending);
    assertThat(m.find()).as(pending).isTrue();
    String ext = m.group(1);
    assertThat(pending)
        .contains("state-pending")
        .contains("+1h")
        .contains("INC-20 still running")
        .contains("An extension is waiting for a decision")
        .doesNotContain("/ui/extensions/" + ext + "/decide")
        .doesNotContain("action=\"/ui/requests/" + id + "/extend\"");
    assertThat(alice.get("/ui/approvals").body())
        .contains(ext)
        .contains("Your extension: others decide")
        .doesNotContain("/ui/extensions/" + ext + "/decide");
    // A forged self-approval is refused by the service and changes nothing.
    HttpResponse<String> forged = alice.submit("/ui/extensions/" + ext + "/approve", Map.of());
    assertThat(forged.statusCode()).isEqualTo(403);

    assertThat(bob.get("/ui/approvals").body())
        .contains("action=\"/ui/extensions/" + ext + "/decide\"")
        .contains("name=\"decision\" value=\"deny\"")
        .contains("<a href=\"/ui/requests/" + id + "\">" + id + "</a>");
    HttpResponse<String> approved =
        bob.submit("/ui/extensions/" + ext + "/approve", Map.of("comment", "ok"));
    assertThat(approved.statusCode()).isEqualTo(303);
    assertThat(approved.headers().firstValue("Location").orElseThrow())
        .isEqualTo("/ui/requests/" + id + "#" + ext);
    // One approval of two: still pending, and the grant's end has not moved (still 3h of room).
    assertThat(alice.get("/ui/requests/" + id).body())
        .contains("1 of 2")
        .doesNotContain("grant.extended");
    assertThat(bob.get("/ui/approvals").body())
        .doesNotContain("/ui/extensions/" + ext + "/decide")
        .contains("You approved at");

    assertThat(carol.submit("/ui/extensions/" + ext + "/approve", Map.of()).statusCode())
        .isEqualTo(303);
    String extended = alice.get("/ui/requests/" + id).body();
    assertThat(extended)
        .contains("state-approved")
        .contains("2 of 2")
        .contains("grant.extended")
        // 2h of 4h used now: at most 2h more is offered.
        .contains("<option value=\"7200\">2h</option>")
        .doesNotContain("value=\"10800\"");
    assertThat(bob.get("/ui/approvals").body()).doesNotContain(ext);
  }

  @Test
  void theHolderCancelsAndAnApproverDenies() {
    Browser alice = signedIn("ext-alice2", "sre");
    Browser bob = signedIn("ext-bob2", "sre");
    Browser carol = signedIn("ext-carol2", "sre");
    String id = activeGrant(alice, bob, carol);

    alice.submit(
        "/ui/requests/" + id + "/extend", Map.of("duration_seconds", "900", "reason", "INC-21"));
    Matcher first = EXTENSION.matcher(alice.get("/ui/requests/" + id).body());
    assertThat(first.find()).isTrue();
    // Only the holder cancels: another approver's cancel is refused.
    assertThat(bob.submit("/ui/extensions/" + first.group(1) + "/cancel", Map.of()).statusCode())
        .isEqualTo(403);
    assertThat(alice.submit("/ui/extensions/" + first.group(1) + "/cancel", Map.of()).statusCode())
        .isEqualTo(303);
    assertThat(alice.get("/ui/requests/" + id).body()).contains("state-cancelled");

    alice.submit(
        "/ui/requests/" + id + "/extend",
        Map.of("duration_seconds", "900", "reason", "INC-21 again"));
    Matcher second = EXTENSION.matcher(alice.get("/ui/requests/" + id).body());
    assertThat(second.find()).isTrue();
    assertThat(
            bob.submit(
                    "/ui/extensions/" + second.group(1) + "/deny", Map.of("comment", "not needed"))
                .statusCode())
        .isEqualTo(303);
    String page = alice.get("/ui/requests/" + id).body();
    assertThat(page)
        .contains("state-denied")
        .doesNotContain("grant.extended")
        // Nothing was added: the full 3h of room is still offered.
        .contains("<option value=\"10800\">3h</option>");
  }

  @Test
  void pagesRefuseBadExtensionInput() {
    Browser alice = signedIn("ext-alice3", "sre");
    Browser bob = signedIn("ext-bob3", "sre");
    Browser carol = signedIn("ext-carol3", "sre");
    String id = activeGrant(alice, bob, carol);

    HttpResponse<String> tooMuch =
        alice.submit(
            "/ui/requests/" + id + "/extend",
            Map.of("duration_seconds", "14400", "reason", "INC-22"));
    assertThat(tooMuch.statusCode()).isEqualTo(403);
    assertThat(tooMuch.body()).contains("extending by 4h");
    HttpResponse<String> noTicket =
        alice.submit(
            "/ui/requests/" + id + "/extend",
            Map.of("duration_seconds", "900", "reason", "because"));
    assertThat(noTicket.statusCode()).isEqualTo(400);
    assertThat(noTicket.body()).contains("^INC-[0-9]+");
    assertThat(
            alice
                .submit("/ui/requests/" + id + "/extend", Map.of("duration_seconds", "soon"))
                .statusCode())
        .isEqualTo(400);
    // Without the session's CSRF token the post is refused before anything happens.
    assertThat(
            alice
                .post(
                    "/ui/requests/" + id + "/extend",
                    Map.of("duration_seconds", "900", "reason", "INC-22"))
                .statusCode())
        .isEqualTo(403);
    assertThat(
            bob.submit(
                    "/ui/requests/" + id + "/extend",
                    Map.of("duration_seconds", "900", "reason", "INC-22"))
                .statusCode())
        .isEqualTo(403);
    assertThat(alice.get("/ui/requests/" + id).body()).contains("No extension asked for");
    assertThat(alice.submit("/ui/extensions/ext_nope/approve", Map.of()).statusCode())
        .isEqualTo(404);
  }

  @Test
  void aRefusedAskComesBackFilledWithTheReasonBesideItsFieldAndNothingAsked() {
    Browser alice = signedIn("ext-alice4", "sre");
    Browser bob = signedIn("ext-bob4", "sre");
    Browser carol = signedIn("ext-carol4", "sre");
    String id = activeGrant(alice, bob, carol);
    String extend = "/ui/requests/" + id + "/extend";

    HttpResponse<String> badReason =
        alice.submit(extend, Map.of("duration_seconds", "7200", "reason", "because <b>now</b>"));
    assertThat(badReason.statusCode()).isEqualTo(400);
    assertThat(badReason.body())
        .contains("<option value=\"7200\" selected>2h</option>")
        .contains(
            "value=\"because &lt;b&gt;now&lt;/b&gt;\" aria-invalid=\"true\""
                + " aria-describedby=\"err-ext-reason\">")
        .contains(
            "<p class=\"error\" id=\"err-ext-reason\" role=\"alert\">the reason does not"
                + " match the pattern ^INC-[0-9]+")
        .doesNotContain("aria-describedby=\"err-ext-by\"")
        .doesNotContain("<b>now</b>");
    assertThat(badReason.body().indexOf("err-ext-reason\" role"))
        .isGreaterThan(badReason.body().indexOf("id=\"ext-reason\""));

    HttpResponse<String> tooLong =
        alice.submit(extend, Map.of("duration_seconds", "14400", "reason", "INC-23 long"));
    assertThat(tooLong.statusCode()).isEqualTo(403);
    assertThat(tooLong.body())
        .contains(
            "name=\"duration_seconds\" aria-invalid=\"true\" aria-describedby=\"err-ext-by\">")
        .contains("<p class=\"error\" id=\"err-ext-by\" role=\"alert\">extending by 4h")
        .contains("value=\"INC-23 long\">");

    HttpResponse<String> noLength =
        alice.submit(extend, Map.of("duration_seconds", "soon", "reason", "INC-23"));
    assertThat(noLength.statusCode()).isEqualTo(400);
    assertThat(noLength.body())
        .contains("id=\"err-ext-by\" role=\"alert\">choose how long to extend by")
        .contains("value=\"INC-23\">");

    // Someone else's ask draws no form: the refusal is still shown, on top.
    HttpResponse<String> notHolder =
        bob.submit(extend, Map.of("duration_seconds", "900", "reason", "INC-23"));
    assertThat(notHolder.statusCode()).isEqualTo(403);
    assertThat(notHolder.body())
        .contains("role=\"alert\">only the grant&#39;s holder can ask to extend it")
        .doesNotContain("action=\"" + extend + "\"");

    // Nothing was asked: no extension, no error on a fresh page, the full 3h of room offered.
    assertThat(alice.get("/ui/requests/" + id).body())
        .contains("No extension asked for")
        .contains("<option value=\"10800\">3h</option>")
        .doesNotContain("role=\"alert\"")
        .doesNotContain("aria-invalid");
  }
}
