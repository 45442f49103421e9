package dev.stint.review;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stint.config.DatabaseUrl;
import dev.stint.testing.ApiCalls;
import dev.stint.testing.AuditTables;
import dev.stint.testing.MutableClock;
import dev.stint.testing.ScimWrites;
import dev.stint.testing.TestIdp;
import dev.stint.testing.TestPostgres;
import dev.stint.testing.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Access reviews on a real server whose directory a provider fills over SCIM (issue 56): a review
 * lists the people the directory's groups make eligible, with the evidence of their use; a reviewer
 * keeps one and removes another, who is refused on their next request naming the review and loses
 * their live grant; nobody decides their own item, nor a non-reviewer anyone's; one refused item
 * refuses the whole call; an admin's restore lets the person request again; an overdue review whose
 * profile says {@code suspend} suspends those left undecided.
 */
class ReviewFlowTest {
  static final String SCIM_TOKEN = "review-flow-scim-token-0123456789abcdef0123456";
  static final String AWS =
      "    aws: {role_arn: \"arn:aws:iam::111122223333:role/prod\", mode: assume_role}\n";

  static DatabaseUrl database;
  static TestIdp idp;
  static TestServer server;
  static ApiCalls api;
  static MutableClock clock = new MutableClock(Instant.now());

  static String profile(String name, String requesters, String review) {
    return profile(name, requesters, review, "true");
  }

  static String profile(String name, String requesters, String review, String autoApprove) {
    return "  "
        + name
        + ":\n"
        + AWS
        + "    max_duration: 1h\n"
        + "    requesters: '"
        + requesters
        + "'\n"
        + "    approval: {count: 1, approvers: '\"leads\" in principal.groups',"
        + " auto_approve: '"
        + autoApprove
        + "'}\n"
        + "    access_review: "
        + review
        + "\n";
  }

  static String policy(TestIdp idp) {
    return "issuers:\n"
        + idp.issuerYaml("corp")
        + "profiles:\n"
        + profile(
            "prod",
            "\"eng\" in principal.groups",
            "{every: 90d, reviewers: '\"security\" in principal.groups', due_in: 14d,"
                + " when_overdue: keep}")
        + profile(
            "db",
            "\"dba\" in principal.groups",
            "{every: 30d, reviewers: '\"security\" in principal.groups', due_in: 1d,"
                + " when_overdue: suspend}",
            "principal.subject != \"dan\"")
        + profile(
            "ops",
            "\"eng\" in principal.groups",
            "{every: 30d, reviewers: '\"security\" in principal.groups', due_in: 7d,"
                + " when_overdue: keep}")
        + "admins: '\"admins\" in principal.groups'\n"
        + "auditors: '\"auditors\" in principal.groups'\n";
  }

  @BeforeAll
  static void start() throws Exception {
    idp = new TestIdp("corp");
    database = TestPostgres.migratedDatabase();
    server =
        TestServer.start(
            database,
            Map.of("STINT_DIRECTORY_SCIM_TOKEN", SCIM_TOKEN, "STINT_DIRECTORY_ISSUER", "corp"),
            policy(idp),
            clock);
    api = new ApiCalls(server);
    ScimWrites scim = new ScimWrites(server, SCIM_TOKEN);
    String alice = scim.user("alice");
    String bob = scim.user("bob");
    String carol = scim.user("carol");
    String dan = scim.user("dan");
    String erin = scim.user("erin");
    scim.group("eng", List.of(alice, bob, carol));
    scim.group("security", List.of(carol, erin));
    scim.group("dba", List.of(dan, erin));
    scim.group("admins", List.of(erin));
    // Opened before any test runs the schedule, which would open them itself.
    ApiCalls.Answer granted = request("bob", "prod");
    assertThat(granted.status()).as(granted.body().toString()).isEqualTo(201);
    bobsRequest = granted.body().path("id").asText();
    prodOpened = open("erin", "prod");
    dbOpened = open("erin", "db");
    opsOpened = open("erin", "ops");
    assertThat(opsOpened.status()).as(opsOpened.body().toString()).isEqualTo(201);
  }

  static ApiCalls.Answer opsOpened;

  static String bobsRequest;
  static ApiCalls.Answer prodOpened;
  static ApiCalls.Answer dbOpened;

  @AfterAll
  static void stop() throws Exception {
    server.close();
    idp.close();
  }

  @Test
  void aReviewerKeepsOneAndRemovesAnotherWhoLosesTheirGrantAndIsRefusedUntilRestored()
      throws Exception {
    ApiCalls.Answer opened = prodOpened;
    assertThat(opened.status()).as(opened.body().toString()).isEqualTo(201);
    JsonNode review = opened.body();
    String id = review.path("id").asText();
    assertThat(id).startsWith("rvw_");
    assertThat(review.path("state").asText()).isEqualTo("open");
    assertThat(subjects(review)).containsExactly("alice", "bob", "carol");
    JsonNode bobItem = item(review, "bob");
    assertThat(bobItem.path("eligible_by").path("rule").asText()).contains("\"eng\"");
    assertThat(bobItem.path("eligible_by").path("groups").toString()).contains("eng");
    assertThat(bobItem.path("eligible_by").path("basis").asText())
        .as("bob was seen: his claims, with the directory's groups")
        .isEqualTo("claims");
    assertThat(item(review, "alice").path("eligible_by").path("basis").asText())
        .as("alice was not seen yet: the directory alone")
        .isEqualTo("directory");
    assertThat(bobItem.path("grants").asInt()).as("bob's grant in the period").isEqualTo(1);
    assertThat(bobItem.path("decision").isNull()).isTrue();
    assertThat(item(review, "alice").path("suggestion").path("decision").asText())
        .as("alice never had a credential of prod")
        .isEqualTo("remove");
    assertThat(open("erin", "prod").status()).as("one open review per profile").isEqualTo(409);

    ApiCalls.Answer decided =
        decide(
            "carol",
            id,
            decision("alice", "keep", "on the team"),
            decision("bob", "remove", "moved to sales"));
    assertThat(decided.status()).as(decided.body().toString()).isEqualTo(200);
    assertThat(item(decided.body(), "alice").path("decision").asText()).isEqualTo("keep");
    assertThat(item(decided.body(), "bob").path("decision").asText()).isEqualTo("remove");
    assertThat(item(decided.body(), "bob").path("decided_by").path("subject").asText())
        .isEqualTo("carol");
    assertThat(decided.body().path("items_decided").asInt()).isEqualTo(2);

    assertThat(
            api.get(idp.token("bob"), "/v1/requests/" + bobsRequest).body().path("state").asText())
        .as("bob's live grant is revoked")
        .isEqualTo("revoked");
    ApiCalls.Answer refused = request("bob", "prod");
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.body().path("detail").asText()).contains(id);
    assertThat(request("alice", "prod").status()).as("alice was kept").isEqualTo(201);
    assertThat(events("review.decided", id)).isEqualTo(2);
    assertThat(events("eligibility.suspended", id)).isEqualTo(1);
    assertThat(
            AuditTables.count(
                database,
                "type = 'grant.revoked' AND request_id = '"
                    + bobsRequest
                    + "' AND details->>'by' = 'access_review' AND details->>'review_id' = '"
                    + id
                    + "'"))
        .isEqualTo(1);
    assertThat(
            AuditTables.count(
                database,
                "type = 'request.refused' AND actor_subject = 'bob' AND reason LIKE '%"
                    + id
                    + "%'"))
        .as("the refusal is recorded")
        .isEqualTo(1);

    ApiCalls.Answer restored =
        api.post(
            idp.token("erin"),
            "/v1/eligibility/restore",
            new JsonObject()
                .put("profile", "prod")
                .put("issuer", idp.issuer())
                .put("subject", "bob")
                .encode());
    assertThat(restored.status()).as(restored.body().toString()).isEqualTo(200);
    assertThat(restored.body().path("review").asText()).isEqualTo(id);
    assertThat(request("bob", "prod").status()).as("bob may request again").isEqualTo(201);
    assertThat(events("eligibility.restored", null)).isGreaterThanOrEqualTo(1);
    assertThat(
            api.post(
                    idp.token("erin"),
                    "/v1/eligibility/restore",
                    new JsonObject()
                        .put("profile", "prod")
                        .put("issuer", idp.issuer())
                        .put("subject", "bob")
                        .encode())
                .status())
        .as("nothing left to restore")
        .isEqualTo(404);
  }

  @Test
  void nobodyDecidesTheirOwnItemNorANonReviewerAnyonesAndOneRefusedItemRefusesTheCall()
      throws Exception {
    String id = opsOpened.body().path("id").asText();
    ApiCalls.Answer own = decide("carol", id, decision("carol", "keep", null));
    assertThat(own.status()).isEqualTo(403);
    assertThat(own.body().path("detail").asText()).contains("own");
    ApiCalls.Answer notReviewer = decide("alice", id, decision("bob", "remove", null));
    assertThat(notReviewer.status()).as("who may not read it learns nothing of it").isEqualTo(404);
    assertThat(notReviewer.body().toString()).doesNotContain("ops");
    ApiCalls.Answer auditor =
        api.post(
            idp.token("audrey", "auditors"),
            "/v1/access-reviews/" + id + "/decisions",
            new JsonObject()
                .put("items", new JsonArray().add(decision("bob", "remove", null)))
                .encode());
    assertThat(auditor.status()).as("an auditor reads it, and decides nothing").isEqualTo(403);
    ApiCalls.Answer mixed =
        decide("erin", id, decision("alice", "keep", null), decision("nobody", "remove", null));
    assertThat(mixed.status()).isEqualTo(404);
    JsonNode after = api.get(idp.token("erin"), "/v1/access-reviews/" + id).body();
    assertThat(item(after, "alice").path("decision").isNull())
        .as("nothing of a refused call is kept")
        .isTrue();
    assertThat(decide("erin", id, decision("alice", "maybe", null)).status()).isEqualTo(400);
    assertThat(
            AuditTables.count(
                database,
                "type = 'review.refused' AND details->>'review_id' = '"
                    + id
                    + "' AND details->>'action' = 'decide'"))
        .as("every refused decision is recorded")
        .isGreaterThanOrEqualTo(3);
    assertThat(api.get(idp.token("alice", "eng"), "/v1/access-reviews/" + id).status())
        .as("not a reviewer, admin or auditor")
        .isEqualTo(404);
    assertThat(open("carol", "ops").status()).as("only admins open one").isEqualTo(403);
    assertThat(api.get(token("carol"), "/v1/access-reviews?profile=ops").body().toString())
        .as("a reviewer lists their profiles' reviews")
        .contains(id);
    assertThat(api.get(token("alice"), "/v1/access-reviews").body().path("reviews").size())
        .as("anyone else, none")
        .isZero();
    assertThat(open("erin", "ops").status()).as("one open review per profile").isEqualTo(409);
  }

  @Test
  void anOverdueReviewThatSaysSuspendSuspendsThoseLeftUndecided() throws Exception {
    ApiCalls.Answer opened = dbOpened;
    assertThat(opened.status()).as(opened.body().toString()).isEqualTo(201);
    String id = opened.body().path("id").asText();
    assertThat(subjects(opened.body())).containsExactly("dan", "erin");
    assertThat(decide("carol", id, decision("erin", "keep", "dba on call")).status())
        .isEqualTo(200);

    ApiCalls.Answer pending = request("dan", "db");
    assertThat(pending.body().path("state").asText())
        .as("dan's waits for a lead")
        .isEqualTo("pending");
    Instant now = clock.instant();
    clock.advance(Duration.ofDays(2));
    try {
      AuditTables.await(server.server().rounds().reviews());
    } finally {
      clock.set(now.plusSeconds(1));
    }
    JsonNode closed = api.get(idp.token("erin"), "/v1/access-reviews/" + id).body();
    assertThat(closed.path("state").asText()).isEqualTo("closed");
    assertThat(closed.path("closed_how").asText()).isEqualTo("overdue");
    assertThat(item(closed, "dan").path("decision").asText()).isEqualTo("remove");
    assertThat(item(closed, "dan").path("overdue").asBoolean()).isTrue();
    assertThat(item(closed, "erin").path("overdue").asBoolean()).isFalse();
    assertThat(
            api.get(idp.token("dan"), "/v1/requests/" + pending.body().path("id").asText())
                .body()
                .path("state")
                .asText())
        .as("dan's pending request is cancelled with his eligibility")
        .isEqualTo("cancelled");
    ApiCalls.Answer refused = request("dan", "db");
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.body().path("detail").asText()).contains(id);
    assertThat(events("review.closed", id)).isEqualTo(1);
  }

  @Test
  void decisionsPastTheBodyLimitAreRefusedWholeAndChangeNothing() throws Exception {
    String id = opsOpened.body().path("id").asText();
    String body =
        new JsonObject()
                .put("items", new JsonArray().add(decision("bob", "remove", "padded")))
                .encode()
            + " ".repeat(65 * 1024);
    ApiCalls.Answer tooLarge =
        api.post(token("erin"), "/v1/access-reviews/" + id + "/decisions", body);
    assertThat(tooLarge.status()).isEqualTo(413);
    assertThat(
            AuditTables.count(
                database,
                "type = 'review.decided' AND details->>'review_id' = '"
                    + id
                    + "' AND details->'person'->>'subject' = 'bob'"))
        .isZero();
  }

  @Test
  void aClosedReviewExportsAsCsvWithFormulasDefused() throws Exception {
    String id = opsOpened.body().path("id").asText();
    HttpResponse<String> csv =
        server.send(
            HttpRequest.newBuilder(server.uri("/v1/access-reviews/" + id + "/export?format=csv"))
                .header("Authorization", "Bearer " + idp.token("audrey", "auditors"))
                .GET()
                .build());
    assertThat(csv.statusCode()).isEqualTo(200);
    assertThat(csv.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
    assertThat(csv.body().lines().findFirst().orElse(""))
        .isEqualTo(
            "issuer,subject,email,eligible_by,grants,last_minted,calls,unused_grants,unused_unseen,"
                + "suggestion,decision,decided_by,decided_at,comment");
    assertThat(csv.body()).contains(",alice,alice@example.com,");
  }

  static ApiCalls.Answer open(String who, String profile) {
    return api.post(
        token(who), "/v1/access-reviews", new JsonObject().put("profile", profile).encode());
  }

  static ApiCalls.Answer request(String who, String profile) {
    return api.post(
        token(who),
        "/v1/requests",
        new JsonObject()
            .put("profile", profile)
            .put("duration_seconds", 1800)
            .put("reason", "review flow")
            .encode());
  }

  static ApiCalls.Answer decide(String who, String id, JsonObject... items) {
    return api.post(
        token(who),
        "/v1/access-reviews/" + id + "/decisions",
        new JsonObject().put("items", new JsonArray(List.of((Object[]) items))).encode());
  }

  static JsonObject decision(String subject, String decision, String comment) {
    JsonObject o =
        new JsonObject()
            .put("issuer", idp.issuer())
            .put("subject", subject)
            .put("decision", decision);
    if (comment != null) {
      o.put("comment", comment);
    }
    return o;
  }

  /** A token whose groups the directory replaces with its own. */
  static String token(String who) {
    return idp.token(who);
  }

  static List<String> subjects(JsonNode review) {
    List<String> out = new ArrayList<>();
    review.path("items").forEach(i -> out.add(i.path("person").path("subject").asText()));
    return out;
  }

  static JsonNode item(JsonNode review, String subject) {
    for (JsonNode i : review.path("items")) {
      if (i.path("person").path("subject").asText().equals(subject)) {
        return i;
      }
    }
    throw new AssertionError("no item for " + subject + " in " + review);
  }

  static long events(String type, String reviewId) throws Exception {
    return AuditTables.count(
        database,
        "type = '"
            + type
            + "'"
            + (reviewId == null ? "" : " AND details->>'review_id' = '" + reviewId + "'"));
  }
}
