package dev.stint.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The new-request form on a real server: a refused request comes back as the form, filled with what
 * was submitted and the reason beside its field, with the API's status; nothing is created.
 */
class WebRequestFormTest {
  static WebSite site;

  @BeforeAll
  static void start() {
    site = WebSite.start();
  }

  @AfterAll
  static void stop() throws Exception {
    site.close();
  }

  @Test
  void aFreshFormDefaultsToAnHour() {
    String home = site.signedIn("f-fresh", "sre").get("/ui").body();
    assertThat(home).contains("<option value=\"3600\" selected>").doesNotContain(" checked");
  }

  @Test
  void aReasonNotMatchingThePatternComesBackFilledWithTheErrorBesideTheReason() {
    Browser alice = site.signedIn("f-alice", "sre");
    HttpResponse<String> refused =
        alice.submit(
            "/ui/requests",
            Map.of(
                "profile", "aws-prod",
                "duration_seconds", "1800",
                "reason", "just because <b>now</b>",
                "ticket", "T-77"));
    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(refused.body())
        .contains("value=\"aws-prod\" required checked")
        .contains("<option value=\"1800\" selected>")
        .contains(
            "value=\"just because &lt;b&gt;now&lt;/b&gt;\" aria-invalid=\"true\""
                + " aria-describedby=\"err-reason\">")
        .contains(
            "<p class=\"error\" id=\"err-reason\" role=\"alert\">reason must match ^INC-[0-9]+")
        .contains("value=\"T-77\"")
        .doesNotContain("aria-describedby=\"err-ticket\"")
        .doesNotContain("<b>now</b>");
    assertThat(refused.body().indexOf("err-reason"))
        .isGreaterThan(refused.body().indexOf("id=\"reason\""))
        .isLessThan(refused.body().indexOf("id=\"ticket\""));
    assertThat(alice.get("/ui").body()).contains("You have no requests yet");
  }

  @Test
  void aMissingReasonAndATooLongDurationAreEachShownBesideTheirField() {
    Browser bob = site.signedIn("f-bob", "sre");
    HttpResponse<String> noReason =
        bob.submit(
            "/ui/requests",
            Map.of("profile", "aws-prod", "duration_seconds", "3600", "ticket", "T-1"));
    assertThat(noReason.statusCode()).isEqualTo(400);
    assertThat(noReason.body()).contains("id=\"err-reason\"").contains("value=\"T-1\"");

    HttpResponse<String> tooLong =
        bob.submit(
            "/ui/requests",
            Map.of("profile", "aws-prod", "duration_seconds", "10800", "reason", "INC-9 long"));
    assertThat(tooLong.statusCode()).isEqualTo(400);
    assertThat(tooLong.body())
        .contains("id=\"err-duration\"")
        .contains("exceeds the maximum of 2h")
        .contains("value=\"INC-9 long\"");

    HttpResponse<String> noProfile =
        bob.submit("/ui/requests", Map.of("duration_seconds", "3600", "reason", "INC-9"));
    assertThat(noProfile.statusCode()).isEqualTo(400);
    assertThat(noProfile.body()).contains("id=\"err-profile\"").contains("value=\"INC-9\"");
    assertThat(bob.get("/ui").body()).contains("You have no requests yet");
  }

  @Test
  void aProfileNotOfferedIsRefusedWith403AndTheFormStillThere() {
    Browser alice = site.signedIn("f-carol", "sre");
    HttpResponse<String> refused =
        alice.submit(
            "/ui/requests",
            Map.of("profile", "gcp-view", "duration_seconds", "600", "reason", "kept"));
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.body()).contains("role=\"alert\"").contains("value=\"kept\"");
  }

  @Test
  void aRefusedFormWithoutCsrfIsNotReRendered() {
    Browser alice = site.signedIn("f-dave", "sre");
    HttpResponse<String> forged =
        alice.post("/ui/requests", Map.of("profile", "aws-prod", "reason", "INC-1"));
    assertThat(forged.statusCode()).isEqualTo(403);
    assertThat(forged.body()).doesNotContain("value=\"INC-1\"");
  }
}
