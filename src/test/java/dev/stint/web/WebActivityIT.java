package dev.stint.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.config.DatabaseUrl;
import dev.stint.testing.AuditTables;
import dev.stint.testing.TestPostgres;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Activity section of the request page, through a real server. The calls are not looked up in a
 * CloudTrail stand-in (ActivityEndToEndIT does that): this test writes a credential into the ledger
 * (the migration's trigger adds its lookup row), marks its lookup done and settled (so the server's
 * rounds leave it alone) and inserts the calls into {@code activity_events} directly, through the
 * test database, 101 of them so that the page has a second page.
 */
class WebActivityIT {
  private static final Pattern MORE =
      Pattern.compile("href=\"/ui/requests/(req_[a-z2-7]+)\\?activity_cursor=([A-Za-z0-9_-]+)#");
  static DatabaseUrl database;
  static WebSite site;

  @BeforeAll
  static void start() {
    database = TestPostgres.migratedDatabase();
    site = WebSite.start(database);
  }

  @AfterAll
  static void stop() throws Exception {
    site.close();
  }

  /** A one-hour aws-prod grant of {@code holder}, approved by two others. */
  private static String activeGrant(Browser holder, String reason) {
    HttpResponse<String> created =
        holder.submit(
            "/ui/requests",
            Map.of("profile", "aws-prod", "duration_seconds", "3600", "reason", reason));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(303);
    String id =
        created.headers().firstValue("Location").orElseThrow().substring("/ui/requests/".length());
    for (String approver : new String[] {"act-bob", "act-carol"}) {
      assertThat(
              site.signedIn(approver, "sre")
                  .submit("/ui/requests/" + id + "/approve", Map.of())
                  .statusCode())
          .isEqualTo(303);
    }
    return id;
  }

  /** A credential of the grant in the ledger, looked up for the last time at 12:00. */
  private static void credential(String request, String key) throws Exception {
    AuditTables.execute(
        TestPostgres.asSuperuser(database),
        "INSERT INTO credentials (id, event_id, grant_id, request_id, holder_issuer,"
            + " holder_subject, profile, cloud, target, access_key_id, revocable, issued_at,"
            + " expires_at) SELECT 'crd_' || g.id, gen_random_uuid(), g.id, g.request_id,"
            + " g.principal_issuer, g.principal_subject, g.profile, 'aws',"
            + " 'arn:aws:iam::111122223333:role/prod-admin', '"
            + key
            + "', true, now(), now() + interval '1 hour' FROM grants g WHERE g.request_id = '"
            + request
            + "';"
            + " UPDATE activity_lookups SET checked_at = timestamptz '2026-11-20T12:00:00Z',"
            + " settled_at = timestamptz '2026-11-20T12:00:00Z' WHERE request_id = '"
            + request
            + "'");
  }

  /**
   * 101 calls a minute apart from 10:01: every third to IAM, the rest to S3; the newest (10:101,
   * i.e. 11:41) failed with AccessDenied and is named with markup, which must arrive as text.
   */
  private static void calls(String request, String key) throws Exception {
    AuditTables.execute(
        TestPostgres.asSuperuser(database),
        "INSERT INTO activity_events (event_id, credential_id, request_id, at, source, name,"
            + " region, source_ip, error_code, access_key_id)"
            + " SELECT c.access_key_id || '-' || lpad(i::text, 3, '0'), c.id, c.request_id,"
            + " timestamptz '2026-11-20T10:00:00Z' + i * interval '1 minute',"
            + " CASE WHEN i % 3 = 0 THEN 'iam.amazonaws.com' ELSE 's3.amazonaws.com' END,"
            + " CASE WHEN i = 101 THEN '<script>alert(1)</script>' WHEN i = 1 THEN 'FirstCall'"
            + " ELSE 'GetObject' END, 'eu-west-1', '198.51.100.7',"
            + " CASE WHEN i = 101 THEN 'AccessDenied' END, c.access_key_id"
            + " FROM credentials c, generate_series(1, 101) i WHERE c.request_id = '"
            + request
            + "' AND c.access_key_id = '"
            + key
            + "'");
  }

  @Test
  void theRequestPageShowsItsCallsNewestFirstAPageAtATime() throws Exception {
    Browser alice = site.signedIn("act-alice", "sre");
    String id = activeGrant(alice, "INC-39 activity");
    credential(id, "ASIAWEBACTIVITY00001");
    calls(id, "ASIAWEBACTIVITY00001");

    String page = alice.get("/ui/requests/" + id).body();
    assertThat(page)
        .contains("<h2 id=\"use-h\">Activity</h2>")
        .contains("<dt>Calls</dt><dd>101</dd>")
        .contains("<dt>Errors</dt><dd>1</dd>")
        .contains("<tr><td>iam.amazonaws.com</td><td>33</td></tr>")
        .contains("<tr><td>s3.amazonaws.com</td><td>68</td></tr>")
        .contains("<dt>First call</dt><dd><time datetime=\"2026-11-20T10:01:00Z\">")
        .contains("<dt>Last call</dt><dd><time datetime=\"2026-11-20T11:41:00Z\">")
        .contains("<dt>Last looked up</dt><dd><time datetime=\"2026-11-20T12:00:00Z\">")
        .contains("&lt;script&gt;alert(1)&lt;/script&gt;")
        .doesNotContain("<script>alert(1)")
        .contains("AccessDenied")
        .contains("ASIAWEBACTIVITY00001")
        .doesNotContain("FirstCall")
        .doesNotContain("Not used");
    assertThat(page.indexOf("11:41:00 UTC")).isLessThan(page.indexOf("11:40:00 UTC"));

    Matcher more = MORE.matcher(page);
    assertThat(more.find()).as("a link to the next page of calls").isTrue();
    assertThat(more.group(1)).isEqualTo(id);
    String second = alice.get("/ui/requests/" + id + "?activity_cursor=" + more.group(2)).body();
    assertThat(second)
        .contains("Earlier calls")
        .contains("FirstCall")
        .doesNotContain("GetObject")
        .contains("<dt>Calls</dt><dd>101</dd>")
        .contains("href=\"/ui/requests/" + id + "#use-h\">Newest calls</a>");
    assertThat(MORE.matcher(second).find()).as("no page after the last").isFalse();
  }

  @Test
  void aGrantWithNoCredentialIsNotUsedAndOneWithNoCallSeenSaysWhatItCannotSee() throws Exception {
    Browser alice = site.signedIn("act-alice", "sre");
    String none = activeGrant(alice, "INC-40 nothing minted");
    assertThat(alice.get("/ui/requests/" + none).body())
        .contains("<strong>Not used</strong>: no credential was handed out on this grant.")
        .contains("<dt>Last looked up</dt><dd><span class=\"muted\">not yet</span>");
    String quiet = activeGrant(alice, "INC-41 minted, never called");
    credential(quiet, "ASIAWEBACTIVITY00002");
    // Without the push, the session's S3 reads would be data events stint never sees.
    assertThat(alice.get("/ui/requests/" + quiet).body())
        .doesNotContain("Not used")
        .contains("<strong>No call seen</strong>, but not every call is visible")
        .contains("<dt>Visible</dt><dd>management calls are looked up in CloudTrail</dd>")
        .contains("<li>data events (S3 object reads and writes")
        .contains("<time datetime=\"2026-11-20T12:00:00Z\">");
  }

  @Test
  void aPendingRequestHasNoActivitySection() {
    Browser alice = site.signedIn("act-alice", "sre");
    HttpResponse<String> created =
        alice.submit(
            "/ui/requests",
            Map.of("profile", "aws-prod", "duration_seconds", "3600", "reason", "INC-42 wait"));
    String id =
        created.headers().firstValue("Location").orElseThrow().substring("/ui/requests/".length());
    assertThat(alice.get("/ui/requests/" + id).body())
        .contains("state-pending")
        .doesNotContain("id=\"use-h\"");
  }

  @Test
  void onlyThoseWhoMaySeeTheRequestSeeItsActivityAndABadCursorIsRefused() throws Exception {
    Browser alice = site.signedIn("act-alice", "sre");
    String id = activeGrant(alice, "INC-43 private");
    credential(id, "ASIAWEBACTIVITY00003");
    calls(id, "ASIAWEBACTIVITY00003");
    HttpResponse<String> mallory = site.signedIn("act-mallory", "eng").get("/ui/requests/" + id);
    assertThat(mallory.statusCode()).isEqualTo(404);
    assertThat(mallory.body()).doesNotContain("ASIAWEBACTIVITY00003").doesNotContain("GetObject");
    assertThat(site.signedIn("act-sam", "security").get("/ui/requests/" + id).body())
        .contains("<dt>Calls</dt><dd>101</dd>");

    HttpResponse<String> bad = alice.get("/ui/requests/" + id + "?activity_cursor=zzz");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("activity_cursor is not one this page gave");
    HttpResponse<String> twice =
        alice.get("/ui/requests/" + id + "?activity_cursor=a&activity_cursor=b");
    assertThat(twice.statusCode()).isEqualTo(400);
    assertThat(twice.body()).contains("activity_cursor is given more than once");
  }
}
