package dev.stint.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.config.DatabaseUrl;
import dev.stint.testing.AuditTables;
import dev.stint.testing.TestPostgres;
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
  static DatabaseUrl db;

  @BeforeAll
  static void start() {
    db = TestPostgres.migratedDatabase();
    site = WebSite.start(db);
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

  @Test
  void aNarrowedProfileIsFiledWithItsParametersAndItsApproverSeesThePolicy() {
    Browser nora = site.signedIn("f-nora", "data", "team");
    String home = nora.get("/ui").body();
    assertThat(home)
        .contains("<label for=\"param-s3-logs-bucket\">bucket</label>")
        .contains(
            "<select id=\"param-s3-logs-bucket\" name=\"param.s3-logs.bucket\""
                + " aria-describedby=\"hint-param-s3-logs-bucket\"><option value=\"\">Choose…</option>"
                + "<option value=\"data-logs\">data-logs</option>"
                + "<option value=\"team-logs\">team-logs</option></select>")
        .contains("<input id=\"param-s3-logs-prefix\" name=\"param.s3-logs.prefix\"")
        .contains("The prefix to list · must match <code>[a-z0-9]{1,20}</code>");

    HttpResponse<String> filed =
        nora.submit(
            "/ui/requests",
            Map.of(
                "profile", "s3-logs",
                "duration_seconds", "3600",
                "reason", "INC-5 read the logs",
                "param.s3-logs.bucket", "team-logs",
                "param.s3-logs.prefix", "app"));
    assertThat(filed.statusCode()).isEqualTo(303);
    String page = filed.headers().firstValue("Location").orElseThrow();

    String seen = site.signedIn("f-lead", "data-leads").get(page).body();
    assertThat(seen)
        .contains("<dt>bucket</dt><dd><code>team-logs</code></dd>")
        .contains("<dt>prefix</dt><dd><code>app</code></dd>")
        .contains("&quot;Resource&quot; : &quot;arn:aws:s3:::team-logs/*&quot;")
        .contains("&quot;app/*&quot;")
        .containsPattern("SHA-256 <code class=\"sha\">[0-9a-f]{64}</code>")
        .contains("value=\"approve\"");
    assertThat(seen.indexOf("<pre class=\"policy\">"))
        .isLessThan(seen.indexOf("value=\"approve\""));
  }

  @Test
  void aBadParameterComesBackBesideTheParametersAndNothingIsFiled() throws Exception {
    Browser omar = site.signedIn("f-omar", "data", "team");
    HttpResponse<String> badPrefix =
        omar.submit(
            "/ui/requests",
            Map.of(
                "profile", "s3-logs",
                "duration_seconds", "3600",
                "reason", "kept",
                "param.s3-logs.bucket", "team-logs",
                "param.s3-logs.prefix", "Not/<ok>"));
    assertThat(badPrefix.statusCode()).isEqualTo(400);
    assertThat(badPrefix.body())
        .contains(
            "<p class=\"error\" id=\"err-parameters\" role=\"alert\">parameters of profile"
                + " &#39;s3-logs&#39;: prefix: the value does not match [a-z0-9]{1,20}")
        .contains(
            "value=\"Not/&lt;ok&gt;\" aria-invalid=\"true\""
                + " aria-describedby=\"err-parameters hint-param-s3-logs-prefix\">")
        .contains("<option value=\"team-logs\" selected>")
        .contains("value=\"kept\"")
        .doesNotContain("<ok>");

    HttpResponse<String> notTheirs =
        omar.submit(
            "/ui/requests",
            Map.of(
                "profile", "s3-logs",
                "duration_seconds", "3600",
                "reason", "kept",
                "param.s3-logs.bucket", "payroll-logs",
                "param.s3-logs.prefix", "app"));
    assertThat(notTheirs.statusCode()).isEqualTo(403);
    assertThat(notTheirs.body())
        .contains(
            "id=\"err-parameters\" role=\"alert\">you may give parameter bucket only one of"
                + " data-logs, team-logs");

    HttpResponse<String> missing =
        omar.submit(
            "/ui/requests",
            Map.of("profile", "s3-logs", "duration_seconds", "3600", "reason", "kept"));
    assertThat(missing.statusCode()).isEqualTo(400);
    assertThat(missing.body()).contains("bucket: no value given").contains("id=\"err-parameters\"");
    assertThat(omar.get("/ui").body()).contains("You have no requests yet");

    HttpResponse<String> oddField =
        omar.submit(
            "/ui/requests",
            Map.of(
                "profile", "s3-logs",
                "duration_seconds", "3600",
                "reason", "kept",
                "param.s3-logs.bucket", "team-logs",
                "param.s3-logs.prefix", "app",
                "param.s3-logs.Odd<field>", "x"));
    // Not a parameter's name: never read, so never named in a refusal or the audit.
    assertThat(oddField.statusCode()).isEqualTo(303);
    assertThat(AuditTables.count(db, "details::text LIKE '%Odd<field>%'")).isZero();
  }
}
