package dev.stint.web;

import static dev.stint.finding.FindingsServer.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.finding.FindingsServer;
import dev.stint.finding.FindingsServer.Minted;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Findings on the pages of a real server, raised by calls pushed to its ingest: the request page
 * and the lease page list each finding (rule, severity, sentence, mode, action, when) and mark the
 * calls it names in their activity, each linked to the other; they show exactly to whoever may see
 * the request; the auditors' page lists every finding under the API's filters, is linked from the
 * audit page, and refuses anyone else, on the record.
 */
class WebFindingPagesTest {
  static final Duration WAIT = Duration.ofSeconds(30);
  static FindingsServer s;
  static String request;
  static String lease;
  static String finding;
  static String trialRequest;

  @BeforeAll
  static void start() throws Exception {
    s = new FindingsServer();
    request = s.grant("alice", "watch");
    Map.Entry<String, Minted> leased = s.lease("alice", request);
    lease = leased.getKey();
    assertThat(s.push("escape", leased.getValue().accessKeyId())).isEqualTo(204);
    finding = findingOf(request);
    trialRequest = s.grant("alice", "trial");
    assertThat(s.push("escape", s.mint("alice", "trial").accessKeyId())).isEqualTo(204);
    findingOf(trialRequest);
  }

  @AfterAll
  static void stop() throws Exception {
    s.close();
  }

  static String findingOf(String request) throws InterruptedException {
    String path = "/v1/requests/" + request + "/findings";
    eventually(
        () -> s.get("alice", "eng", path).body().path("findings").size() == 1,
        WAIT,
        "the finding of " + request);
    return s.get("alice", "eng", path).body().get("findings").get(0).get("id").asText();
  }

  static Browser as(String user, String... groups) {
    Browser b = new Browser(s.server);
    assertThat(b.signIn(s.idp, user, groups).statusCode()).isEqualTo(303);
    return b;
  }

  /** The row of the table on {@code html} whose opening tag has {@code marker}. */
  static String row(String html, String marker) {
    Matcher m =
        Pattern.compile("<tr[^>]*" + Pattern.quote(marker) + "[^>]*>.*?</tr>").matcher(html);
    assertThat(m.find()).as("a row with " + marker + " in " + html).isTrue();
    return m.group();
  }

  @Test
  void theRequestPageListsItsFindingAndMarksTheCallItNames() {
    String page = as("alice", "eng").get("/ui/requests/" + request).body();

    String callAnchor = "call-escape-" + leaseKey(page);
    String f = row(page, "id=\"finding-" + finding + "\"");
    assertThat(f)
        .contains("<span class=\"severity sev-high\">high</span>")
        .contains("<code>escape</code>", ">live<", "told the holder and approvers")
        .contains("iam:CreateAccessKey")
        .contains("(a call of lease <a href=\"/ui/leases/" + lease + "\">" + lease + "</a>)")
        .contains("<a href=\"#" + callAnchor + "\">CreateAccessKey</a>");
    String call = row(page, "id=\"" + callAnchor + "\"");
    assertThat(call)
        .contains("class=\"flagged\"")
        .contains("<a href=\"#finding-" + finding + "\">" + finding + "</a>")
        .contains("CreateAccessKey");
    assertThat(page.indexOf("id=\"fnd-h\"")).isLessThan(page.indexOf("id=\"use-h\""));
  }

  @Test
  void theLeasePageListsTheLeasesFindingAndMarksItsCall() {
    String page = as("alice", "eng").get("/ui/leases/" + lease).body();

    assertThat(row(page, "id=\"finding-" + finding + "\""))
        .contains("<code>escape</code>", "iam:CreateAccessKey");
    assertThat(row(page, "class=\"flagged\"")).contains("#finding-" + finding);
  }

  @Test
  void aDryRunsFindingSaysSoAndThatItDidNothing() {
    String page = as("alice", "eng").get("/ui/requests/" + trialRequest).body();

    assertThat(row(page, "class=\"finding sev-high\""))
        .contains(">dry run<", "none (a dry run)")
        .doesNotContain("(a call of lease");
  }

  @Test
  void findingsShowExactlyToWhoeverMaySeeTheRequest() {
    assertThat(as("bob", "sre").get("/ui/requests/" + request).body())
        .as("an approver of the profile")
        .contains("id=\"finding-" + finding + "\"");
    assertThat(as("sam", "audit").get("/ui/leases/" + lease).body())
        .as("an auditor")
        .contains("id=\"finding-" + finding + "\"");
    HttpResponse<String> other = as("carol", "eng").get("/ui/requests/" + request);
    assertThat(other.statusCode()).isEqualTo(404);
    assertThat(other.body()).doesNotContain(finding, "CreateAccessKey");
    HttpResponse<String> otherLease = as("carol", "eng").get("/ui/leases/" + lease);
    assertThat(otherLease.statusCode()).isEqualTo(404);
    assertThat(otherLease.body()).doesNotContain(finding);
  }

  @Test
  void auditorsListEveryFindingUnderTheApisFiltersFromTheAuditPage() {
    Browser sam = as("sam", "audit");
    assertThat(sam.get("/ui/audit").body()).contains("<a href=\"/ui/findings\">Findings</a>");

    String all = sam.get("/ui/findings").body();
    assertThat(row(all, "class=\"finding sev-high\"")).isNotEmpty();
    assertThat(all)
        .contains("href=\"/ui/requests/" + request + "#finding-" + finding + "\"")
        .contains("href=\"/ui/leases/" + lease + "#finding-" + finding + "\"")
        .contains("href=\"/ui/requests/" + trialRequest);
    assertThat(sam.get("/ui/findings?severity=high&rule=escape&since=1h").body())
        .contains(finding)
        .contains("<option value=\"high\" selected>")
        .contains("<option value=\"escape\" selected>");
    assertThat(sam.get("/ui/findings?rule=secrets_burst").body())
        .contains("No finding matches.")
        .doesNotContain(finding);
    assertThat(sam.get("/ui/findings?severity=urgent").statusCode()).isEqualTo(400);
  }

  @Test
  void anyoneElseIsRefusedTheFindingsPageOnTheRecord() {
    HttpResponse<String> refused = as("carol", "eng").get("/ui/findings");

    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.body()).doesNotContain(finding);
    assertThat(
            s.count(
                "SELECT count(*) FROM audit_events WHERE type = 'finding.refused'"
                    + " AND actor_subject = 'carol'"))
        .isPositive();
  }

  /** The key the lease's session signed with, as the activity list shows it. */
  private static String leaseKey(String page) {
    Matcher m = Pattern.compile("id=\"call-escape-(ASIA[A-Z0-9]+)\"").matcher(page);
    assertThat(m.find()).as(page).isTrue();
    return m.group(1);
  }
}
