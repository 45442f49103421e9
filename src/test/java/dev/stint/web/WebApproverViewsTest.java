package dev.stint.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * What a requester and an approver read before anyone acts, on a real server (embedded Postgres,
 * the test IdP): "Who can approve" before any approver of the narrowed profile {@code s3-logs} has
 * signed in, and the approvals list, whose Approve button for a narrowed request stands under the
 * values and the policy it grants. The first test runs first: it needs a server on which no {@code
 * data-leads} approver has signed in yet.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebApproverViewsTest {
  static WebSite site;

  @BeforeAll
  static void start() {
    site = WebSite.start();
  }

  @AfterAll
  static void stop() throws Exception {
    site.close();
  }

  /** A narrowed request of {@code who}'s for bucket team-logs, prefix {@code prefix}. */
  private static String narrowed(Browser who, String prefix) {
    HttpResponse<String> filed =
        who.submit(
            "/ui/requests",
            Map.of(
                "profile", "s3-logs",
                "duration_seconds", "3600",
                "reason", "INC-68 read the logs",
                "param.s3-logs.bucket", "team-logs",
                "param.s3-logs.prefix", prefix));
    assertThat(filed.statusCode()).as(filed.body()).isEqualTo(303);
    return filed.headers().firstValue("Location").orElseThrow().substring("/ui/requests/".length());
  }

  @Test
  @Order(1)
  void beforeAnyApproverSignedInThePageSaysSoAndShowsWhoTheRuleAdmits() {
    Browser nora = site.signedIn("w-nora", "data", "team");
    String id = narrowed(nora, "first");

    String before = nora.get("/ui/requests/" + id).body();
    assertThat(before)
        .contains("Who can approve</h2>")
        .contains("No approver has signed in to stint yet")
        .contains("Who may approve: anyone in the group <strong>data-leads</strong>")
        .contains("<code>principal.groups.exists(g, g == &quot;data-leads&quot;)</code>")
        .doesNotContain("No one stint has seen");

    site.signedIn("w-lead", "data-leads");
    String after = nora.get("/ui/requests/" + id).body();
    assertThat(after)
        .contains("<ul class=\"approvers\"><li>w-lead@example.com")
        .doesNotContain("No approver has signed in");
  }

  @Test
  @Order(2)
  void theApprovalsListShowsANarrowedRequestsPolicyAboveItsApproveButtonAndApprovesInPlace() {
    Browser omar = site.signedIn("w-omar", "data", "team");
    String id = narrowed(omar, "second");
    Browser plain = site.signedIn("w-pat", "sre");
    HttpResponse<String> plainFiled =
        plain.submit(
            "/ui/requests",
            Map.of("profile", "aws-prod", "duration_seconds", "3600", "reason", "INC-68 plain"));
    assertThat(plainFiled.statusCode()).isEqualTo(303);

    Browser lead = site.signedIn("w-lead2", "data-leads");
    String list = lead.get("/ui/approvals").body();
    String row = list.substring(list.indexOf("/ui/requests/" + id + "\">"));
    row = row.substring(0, row.indexOf("</tr>"));
    assertThat(row)
        .contains("Approving grants <strong>s3-logs</strong> narrowed to")
        .contains("bucket <code>team-logs</code>", "prefix <code>second</code>")
        .contains("<details open><summary>The policy it grants (SHA-256 <code class=\"sha\">")
        .containsPattern("<code class=\"sha\">[0-9a-f]{64}</code>")
        .contains("&quot;Resource&quot; : &quot;arn:aws:s3:::team-logs/*&quot;")
        .contains("&quot;second/*&quot;")
        .contains("action=\"/ui/requests/" + id + "/decide\"")
        .contains("name=\"csrf\"");
    assertThat(row.indexOf("<pre class=\"policy\">")).isLessThan(row.indexOf("value=\"approve\""));
    assertThat(site.signedIn("w-sam", "sre").get("/ui/approvals").body())
        .as("an approver of the plain request sees no narrowing for it")
        .contains("INC-68 plain")
        .doesNotContain("Approving grants <strong>aws-prod");

    HttpResponse<String> forged =
        lead.post("/ui/requests/" + id + "/decide", Map.of("decision", "approve"));
    assertThat(forged.statusCode()).as("no CSRF token, no vote").isEqualTo(403);
    HttpResponse<String> approved =
        lead.submit("/ui/requests/" + id + "/decide", Map.of("decision", "approve", "comment", ""));
    assertThat(approved.statusCode()).isEqualTo(303);
    assertThat(omar.get("/ui/requests/" + id).body()).contains("state-active");
    assertThat(lead.get("/ui/approvals").body())
        .as("approved: no longer waiting")
        .doesNotContain("/ui/requests/" + id + "\"");
  }
}
