package dev.stint.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stint.config.DatabaseUrl;
import dev.stint.identity.Person;
import dev.stint.testing.ApiCalls;
import dev.stint.testing.AuditTables;
import dev.stint.testing.Eventually;
import dev.stint.testing.TestIdp;
import dev.stint.testing.TestPostgres;
import dev.stint.testing.TestServer;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Access reviews on the web pages (issue 56), on a real server without a directory (people seen):
 * the list and a review's page with every person's evidence, everything escaped; a reviewer's
 * selection deciding two people in one post; a forged CSRF token, a non-reviewer and a reviewer's
 * forged post for their own row each refused with nothing decided; the CSV download.
 */
class WebReviewPagesTest {
  /** A subject an identity provider could send: HTML, which must land on the page as text. */
  static final String HTML_SUBJECT = "<img src=x onerror=alert(1)>";

  static final String HTML_COMMENT = "<script>alert('kept')</script> & on the team";

  static DatabaseUrl db;
  static TestIdp idp;
  static TestServer server;
  static ApiCalls api;
  static String prod;
  static String ops;

  static String profile(String name) {
    return "  "
        + name
        + ":\n"
        + "    aws: {role_arn: 'arn:aws:iam::111122223333:role/prod', mode: assume_role}\n"
        + "    max_duration: 1h\n"
        + "    requesters: '\"eng\" in principal.groups'\n"
        + "    approval: {count: 1, approvers: '\"leads\" in principal.groups',"
        + " auto_approve: 'true'}\n"
        + "    access_review: {every: 90d, reviewers: '\"security\" in principal.groups',"
        + " due_in: 14d, when_overdue: keep}\n";
  }

  @BeforeAll
  static void start() throws Exception {
    idp = new TestIdp("corp");
    db = TestPostgres.migratedDatabase();
    server =
        TestServer.start(
            db,
            Map.of(),
            "issuers:\n"
                + idp.issuerYaml("corp")
                + "web: {issuer: corp, client_id: "
                + WebTestSetup.CLIENT
                + "}\n"
                + "admins: '\"platform\" in principal.groups'\n"
                + "profiles:\n"
                + profile("prod")
                + profile("ops"));
    api = new ApiCalls(server);
    for (String who : List.of("alice", "bob", "carol", "dave", HTML_SUBJECT)) {
      String token =
          who.equals("carol") ? idp.token(who, "eng", "security") : idp.token(who, "eng");
      assertThat(api.get(token, "/v1/profiles").status()).isEqualTo(200);
    }
    Eventually.until(
        "the five are among the people seen",
        Duration.ofSeconds(10),
        () -> AuditTables.strings(db, "SELECT count(*) FROM people_seen").get(0).equals("5"));
    ApiCalls.Answer granted =
        api.post(
            idp.token("bob", "eng"),
            "/v1/requests",
            new JsonObject()
                .put("profile", "prod")
                .put("duration_seconds", 1800)
                .put("reason", "the review pages")
                .encode());
    assertThat(granted.status()).as(granted.body().toString()).isEqualTo(201);
    prod = open("prod");
    ops = open("ops");
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    idp.close();
  }

  static String open(String profile) {
    ApiCalls.Answer opened =
        api.post(
            idp.token("erin", "platform"),
            "/v1/access-reviews",
            new JsonObject().put("profile", profile).encode());
    assertThat(opened.status()).as(opened.body().toString()).isEqualTo(201);
    return opened.body().path("id").asText();
  }

  static Browser browser(String user, String... groups) {
    Browser b = new Browser(server);
    assertThat(b.signIn(idp, user, groups).statusCode()).isEqualTo(303);
    return b;
  }

  static String key(String subject) {
    return ReviewPage.key(new Person(idp.issuer(), subject, Optional.empty()));
  }

  /** A form post whose {@code item} is given once per person, as a browser sends checkboxes. */
  static HttpResponse<String> decide(
      Browser b, String review, String csrf, String action, String comment, String... subjects) {
    List<String> fields = new ArrayList<>();
    fields.add("csrf=" + URLEncoder.encode(csrf, StandardCharsets.UTF_8));
    fields.add("action=" + action);
    fields.add("comment=" + URLEncoder.encode(comment, StandardCharsets.UTF_8));
    for (String s : subjects) {
      fields.add("item=" + URLEncoder.encode(key(s), StandardCharsets.UTF_8));
    }
    return b.send(
        HttpRequest.newBuilder(server.uri("/ui/access-reviews/" + review + "/decisions"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(String.join("&", fields)))
            .build());
  }

  static JsonNode review(String id) {
    return api.get(idp.token("erin", "platform"), "/v1/access-reviews/" + id).body();
  }

  static JsonNode item(JsonNode review, String subject) {
    for (JsonNode i : review.path("items")) {
      if (i.path("person").path("subject").asText().equals(subject)) {
        return i;
      }
    }
    throw new AssertionError("no item for " + subject + " in " + review);
  }

  @Test
  void theListAndTheReviewPageShowEveryPersonWithTheirEvidenceEscaped() {
    Browser carol = browser("carol", "eng", "security");

    HttpResponse<String> list = carol.get("/ui/access-reviews");
    HttpResponse<String> page = carol.get("/ui/access-reviews/" + prod);

    assertThat(list.statusCode()).isEqualTo(200);
    assertThat(list.body())
        .contains("href=\"/ui/access-reviews\">Access reviews</a>")
        .contains("<a href=\"/ui/access-reviews/" + prod + "\">" + prod + "</a>")
        .contains("<a href=\"/ui/access-reviews/" + ops + "\">" + ops + "</a>")
        .contains("0 of 5 decided: 0 kept, 0 removed");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body())
        .contains("<dt>Profile</dt><dd>prod</dd>")
        .contains("<span class=\"state state-open\">open</span>")
        .contains("</time> by erin</dd>")
        .contains("keep: whoever is undecided at the due date stays eligible")
        .contains("<progress max=\"5\" value=\"0\">")
        .contains("bob@example.com")
        .contains("&quot;eng&quot; in principal.groups")
        .contains("judged from their claims")
        .contains("<td data-label=\"Grants\">1</td>")
        .contains(Html.escape(HTML_SUBJECT))
        .doesNotContain(HTML_SUBJECT)
        .contains("value=\"" + key("alice") + "\"")
        .contains("Keep selected")
        .contains("Follow the suggestion for selected")
        .contains("href=\"/ui/access-reviews/" + prod + "/export.csv\"");
    assertThat(item(review(prod), "bob").path("grants").asInt()).isEqualTo(1);
  }

  @Test
  void aReviewersSelectionDecidesTwoPeopleInOnePostAndTheCommentIsText() {
    Browser carol = browser("carol", "eng", "security");

    HttpResponse<String> posted =
        decide(carol, ops, carol.csrf(), "keep", HTML_COMMENT, "alice", "dave");

    assertThat(posted.statusCode()).as(posted.body()).isEqualTo(303);
    assertThat(posted.headers().firstValue("Location")).contains("/ui/access-reviews/" + ops);
    JsonNode after = review(ops);
    assertThat(item(after, "alice").path("decision").asText()).isEqualTo("keep");
    assertThat(item(after, "dave").path("decision").asText()).isEqualTo("keep");
    assertThat(item(after, "dave").path("decided_by").path("subject").asText()).isEqualTo("carol");
    assertThat(item(after, "bob").path("decision").isNull()).isTrue();
    String page = carol.get("/ui/access-reviews/" + ops).body();
    assertThat(page)
        .contains(Html.escape(HTML_COMMENT))
        .doesNotContain(HTML_COMMENT)
        .contains("2 of 5 decided: 2 kept, 0 removed")
        .doesNotContain("value=\"" + key("alice") + "\"")
        .contains("value=\"" + key("bob") + "\"");

    HttpResponse<String> again = decide(carol, ops, carol.csrf(), "remove", "", "bob", "alice");

    assertThat(again.statusCode()).as("alice was decided already: all or nothing").isEqualTo(409);
    assertThat(again.body()).contains("Nothing was decided").contains("decided already");
    assertThat(item(review(ops), "bob").path("decision").isNull()).isTrue();
  }

  @Test
  void aForgedCsrfTokenIsRefusedAndDecidesNothing() {
    Browser carol = browser("carol", "eng", "security");

    HttpResponse<String> forged = decide(carol, prod, "not-the-token", "remove", "", "bob");

    assertThat(forged.statusCode()).isEqualTo(403);
    assertThat(item(review(prod), "bob").path("decision").isNull()).isTrue();
  }

  @Test
  void aNonReviewerGetsTheSame404AsAReviewThatDoesNotExist() throws Exception {
    Browser dave = browser("dave", "eng");

    HttpResponse<String> page = dave.get("/ui/access-reviews/" + prod);
    HttpResponse<String> none = dave.get("/ui/access-reviews/rvw_nothere");
    HttpResponse<String> csv = dave.get("/ui/access-reviews/" + prod + "/export.csv");
    HttpResponse<String> post = decide(dave, prod, dave.csrf(), "remove", "", "bob");

    assertThat(page.statusCode()).isEqualTo(404);
    assertThat(none.statusCode()).isEqualTo(404);
    assertThat(page.body()).doesNotContain("bob@example.com").doesNotContain("prod</dd>");
    assertThat(csv.statusCode()).isEqualTo(404);
    assertThat(post.statusCode()).isEqualTo(404);
    assertThat(dave.get("/ui/access-reviews").body())
        .contains("No access reviews you may read")
        .doesNotContain(prod)
        .doesNotContain("href=\"/ui/access-reviews\">Access reviews</a>");
    assertThat(item(review(prod), "bob").path("decision").isNull()).isTrue();
    assertThat(
            AuditTables.count(
                db,
                "type = 'review.refused' AND actor_subject = 'dave' AND details->>'review_id' = '"
                    + prod
                    + "'"))
        .as("each refused read is recorded")
        .isGreaterThanOrEqualTo(3);
  }

  @Test
  void aReviewerHasNoControlsOnTheirOwnRowAndAForgedPostForItIsRefused() {
    Browser carol = browser("carol", "eng", "security");

    String page = carol.get("/ui/access-reviews/" + prod).body();
    HttpResponse<String> forged = decide(carol, prod, carol.csrf(), "keep", "", "carol");

    assertThat(page)
        .doesNotContain("value=\"" + key("carol") + "\"")
        .contains("undecided: yours, another reviewer decides");
    assertThat(forged.statusCode()).isEqualTo(403);
    assertThat(forged.body())
        .contains("Nothing was decided")
        .contains("nobody decides their own eligibility");
    assertThat(item(review(prod), "carol").path("decision").isNull()).isTrue();
  }

  @Test
  void theCsvDownloadIsTheReviewsExport() {
    Browser carol = browser("carol", "eng", "security");

    HttpResponse<String> csv = carol.get("/ui/access-reviews/" + prod + "/export.csv");
    HttpResponse<String> json = carol.get("/ui/access-reviews/" + prod + "/export.json");

    assertThat(csv.statusCode()).isEqualTo(200);
    assertThat(csv.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
    assertThat(csv.headers().firstValue("Content-Disposition").orElse(""))
        .isEqualTo("attachment; filename=\"" + prod + ".csv\"");
    assertThat(csv.body().lines().findFirst().orElse(""))
        .isEqualTo(
            "issuer,subject,email,eligible_by,grants,last_minted,calls,unused_grants,unused_unseen,"
                + "suggestion,decision,decided_by,decided_at,comment");
    assertThat(csv.body()).contains(",bob,bob@example.com,");
    assertThat(json.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(json.body()).getString("id")).isEqualTo(prod);
  }
}
