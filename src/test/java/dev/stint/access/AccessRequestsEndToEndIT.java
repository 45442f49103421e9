package dev.stint.access;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stint.config.DatabaseUrl;
import dev.stint.testing.TestIdp;
import dev.stint.testing.TestPolicies;
import dev.stint.testing.TestPostgres;
import dev.stint.testing.TestServer;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Requests over HTTP with real tokens from a real IdP, a real server and a real database. */
class AccessRequestsEndToEndIT {
  static final ObjectMapper JSON = new ObjectMapper();
  static TestIdp idp;
  static TestServer server;
  static DatabaseUrl db;

  @BeforeAll
  static void start() {
    idp = new TestIdp("corp");
    db = TestPostgres.migratedDatabase();
    // Other tests here read every audit event of a request; a 1-minute reminder keeps the
    // sweeper's grant.expiring (ExpiryReminderTest's subject) out of their 10-minute grants.
    server =
        TestServer.start(db, Map.of("STINT_EXPIRY_REMINDER", "1m"), TestPolicies.requests(idp));
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    idp.close();
  }

  record Answer(int status, JsonNode body) {}

  static Answer call(String token, String method, String path, String body) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(server.uri(path))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> r = server.send(b.build());
    try {
      return new Answer(
          r.statusCode(), r.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(r.body()));
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + r.body(), e);
    }
  }

  static String alice() {
    return idp.token("alice", "eng");
  }

  static String create(String token, String body) {
    Answer a = call(token, "POST", "/v1/requests", body);
    assertThat(a.status()).as(a.body().toString()).isEqualTo(201);
    return a.body().get("id").asText();
  }

  static final String PROD_2H =
      "{\"profile\":\"prod\",\"duration_seconds\":7200," + "\"reason\":\"INC-42 disk full\"}";

  @Test
  void twoApproversAreNeededAndTheRequesterNeverCounts() {
    String id = create(alice(), PROD_2H);
    Answer self =
        call(idp.token("alice", "eng", "sre"), "POST", "/v1/requests/" + id + "/approve", "{}");
    assertThat(self.status()).isEqualTo(403);
    assertThat(self.body().get("detail").asText()).contains("own request");

    Answer first =
        call(
            idp.token("bob", "sre"),
            "POST",
            "/v1/requests/" + id + "/approve",
            "{\"comment\":\"ok\"}");
    assertThat(first.status()).isEqualTo(200);
    assertThat(first.body().get("state").asText()).isEqualTo("pending");
    assertThat(first.body().get("approvals")).hasSize(1);

    Answer again = call(idp.token("bob", "sre"), "POST", "/v1/requests/" + id + "/approve", "{}");
    assertThat(again.status()).isEqualTo(409);

    Answer second =
        call(idp.token("carol", "sre"), "POST", "/v1/requests/" + id + "/approve", null);
    assertThat(second.status()).isEqualTo(200);
    assertThat(second.body().get("state").asText()).isEqualTo("active");
    assertThat(second.body().get("grant").get("id").asText()).startsWith("grt_");
    assertThat(auditTypes(id))
        .containsExactly(
            "request.created",
            "request.refused",
            "approval.recorded",
            "request.refused",
            "request.approved");
  }

  @Test
  void anApproverCanDenyAndThenNothingElseHappens() {
    String id = create(alice(), PROD_2H);
    Answer denied =
        call(
            idp.token("bob", "sre"),
            "POST",
            "/v1/requests/" + id + "/deny",
            "{\"comment\":\"not during the freeze\"}");
    assertThat(denied.body().get("state").asText()).isEqualTo("denied");
    assertThat(
            call(idp.token("carol", "sre"), "POST", "/v1/requests/" + id + "/approve", "{}")
                .status())
        .isEqualTo(409);
  }

  @Test
  void revokingEndsTheGrantAndOnlyAllowedPeopleMayRevoke() {
    String id =
        create(idp.token("dave", "oncall"), "{\"profile\":\"sandbox\",\"duration_seconds\":1800}");
    assertThat(
            call(idp.token("mallory", "eng"), "POST", "/v1/requests/" + id + "/revoke", "{}")
                .status())
        .isEqualTo(404);
    Answer revoked =
        call(idp.token("erin", "platform"), "POST", "/v1/requests/" + id + "/revoke", "{}");
    assertThat(revoked.status()).isEqualTo(200);
    assertThat(revoked.body().get("state").asText()).isEqualTo("revoked");
    assertThat(revoked.body().get("grant").get("revoked_by").get("subject").asText())
        .isEqualTo("erin");
  }

  @Test
  void autoApprovalApprovesAtOnce() {
    Answer a =
        call(
            idp.token("dave", "oncall"),
            "POST",
            "/v1/requests",
            "{\"profile\":\"sandbox\",\"duration_seconds\":600}");
    assertThat(a.status()).isEqualTo(201);
    assertThat(a.body().get("state").asText()).isEqualTo("active");
    assertThat(auditTypes(a.body().get("id").asText()))
        .containsExactly("request.created", "request.approved");
  }

  @Test
  void badRequestsAreRefusedWithClearReasons() {
    Answer tooLong =
        call(
            alice(),
            "POST",
            "/v1/requests",
            "{\"profile\":\"prod\",\"duration_seconds\":10800,\"reason\":\"INC-1\"}");
    assertThat(tooLong.status()).isEqualTo(400);
    assertThat(tooLong.body().get("detail").asText())
        .isEqualTo("duration 3h exceeds the maximum of 2h for profile prod");
    Answer unknown =
        call(
            alice(),
            "POST",
            "/v1/requests",
            "{\"profile\":\"nope\",\"duration_seconds\":60,\"reason\":\"INC-1\"}");
    assertThat(unknown.status()).isEqualTo(404);
    Answer notAllowed = call(idp.token("frank", "sales"), "POST", "/v1/requests", PROD_2H);
    assertThat(notAllowed.status()).isEqualTo(403);
    Answer badReason =
        call(
            alice(),
            "POST",
            "/v1/requests",
            "{\"profile\":\"prod\",\"duration_seconds\":60,\"reason\":\"because\"}");
    assertThat(badReason.status()).isEqualTo(400);
    Answer typo =
        call(
            alice(),
            "POST",
            "/v1/requests",
            "{\"profile\":\"prod\",\"duration\":60,\"reason\":\"INC-1\"}");
    assertThat(typo.status()).isEqualTo(400);
    assertThat(typo.body().get("detail").asText()).contains("unknown field 'duration'");
    assertThat(call("garbage", "POST", "/v1/requests", PROD_2H).status()).isEqualTo(401);
  }

  @Test
  void breakGlassActivatesAtOnceAndIsListedForReview() {
    Answer a =
        call(
            alice(),
            "POST",
            "/v1/requests",
            "{\"profile\":\"prod\",\"duration_seconds\":900,\"reason\":\"INC-9 outage\","
                + "\"break_glass\":true}");
    assertThat(a.status()).isEqualTo(201);
    String id = a.body().get("id").asText();
    assertThat(a.body().get("state").asText()).isEqualTo("active");
    assertThat(a.body().get("grant").get("needs_review").asBoolean()).isTrue();
    Answer review = call(idp.token("bob", "sre"), "GET", "/v1/requests?needs_review=true", null);
    assertThat(review.body().get("requests").findValuesAsText("id")).contains(id);
    Answer reviewed =
        call(
            idp.token("bob", "sre"),
            "POST",
            "/v1/requests/" + id + "/review",
            "{\"comment\":\"checked the incident\"}");
    assertThat(reviewed.body().get("grant").get("needs_review").asBoolean()).isFalse();
    assertThat(auditTypes(id))
        .containsExactly("request.created", "break_glass.used", "break_glass.reviewed");
  }

  @Test
  void listingShowsOwnRequestsToRequestersAndPendingOnesToApprovers() {
    String id = create(idp.token("gina", "eng"), PROD_2H);
    Answer mine = call(idp.token("gina", "eng"), "GET", "/v1/requests?mine=true", null);
    assertThat(mine.body().get("requests").findValuesAsText("id")).containsExactly(id);
    Answer queue = call(idp.token("bob", "sre"), "GET", "/v1/requests?state=pending", null);
    assertThat(queue.body().get("requests").findValuesAsText("id")).contains(id);
    Answer other = call(idp.token("hank", "eng"), "GET", "/v1/requests/" + id, null);
    assertThat(other.status()).isEqualTo(404);
  }

  @Test
  void pagingThroughMoreRequestsThanAPageReturnsEachOnceNewestFirst() {
    String ivy = idp.token("ivy", "eng");
    List<String> created = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      created.add(0, create(ivy, PROD_2H));
    }
    List<String> seen = new ArrayList<>();
    String path = "/v1/requests?mine=true&limit=3";
    int pages = 0;
    while (path != null) {
      Answer page = call(ivy, "GET", path, null);
      assertThat(page.status()).isEqualTo(200);
      seen.addAll(page.body().get("requests").findValuesAsText("id"));
      pages++;
      path =
          page.body().hasNonNull("next_cursor")
              ? "/v1/requests?mine=true&limit=3&cursor=" + page.body().get("next_cursor").asText()
              : null;
    }
    assertThat(pages).isEqualTo(3);
    assertThat(seen).containsExactlyElementsOf(created);
  }

  @Test
  void aPagesCursorTellsNothingOfRequestsTheCallerMayNotSee() {
    String olga = idp.token("olga", "eng");
    List<String> hidden = List.of(create(olga, PROD_2H), create(olga, PROD_2H));
    String hank = idp.token("hank", "eng");

    Answer page = call(hank, "GET", "/v1/requests?limit=1", null);

    assertThat(page.status()).isEqualTo(200);
    assertThat(page.body().get("requests").findValuesAsText("id"))
        .doesNotContainAnyElementsOf(hidden);
    String cursor = page.body().get("next_cursor").asText();
    String decoded = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.ISO_8859_1);
    assertThat(cursor + decoded)
        .as("the last row read was olga's, which hank may not see")
        .doesNotContain(hidden.get(0))
        .doesNotContain(hidden.get(1))
        .doesNotContain("req:");
    Answer next = call(hank, "GET", "/v1/requests?limit=1&cursor=" + cursor, null);
    assertThat(next.status()).as(next.body().toString()).isEqualTo(200);
    assertThat(next.body().get("requests").findValuesAsText("id"))
        .doesNotContainAnyElementsOf(hidden);
  }

  @Test
  void aCursorTheServerDidNotHandOutIsRefused() {
    Answer bad = call(alice(), "GET", "/v1/requests?cursor=bm90LWEtY3Vyc29y", null);
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.body().toString()).doesNotContain("not-a-cursor");
  }

  @Test
  void auditorsReadTheRecordOfARequestAndOthersMayNot() {
    String id = create(alice(), PROD_2H);
    Answer events =
        call(idp.token("sue", "security"), "GET", "/v1/audit?type=request.created", null);
    assertThat(events.status()).as(events.body().toString()).isEqualTo(200);
    assertThat(events.body().toString()).contains(id);
    assertThat(call(alice(), "GET", "/v1/audit", null).status()).isEqualTo(403);
    Answer verify = call(idp.token("sue", "security"), "GET", "/v1/audit/verify", null);
    assertThat(verify.status()).isEqualTo(200);
    assertThat(verify.body().toString()).contains("true");
  }

  @Test
  void concurrentDecisionsEndInOneConsistentStateWithMatchingAudit() throws Exception {
    String id =
        create(
            alice(), "{\"profile\":\"prod\",\"duration_seconds\":600," + "\"reason\":\"INC-7\"}");
    ExecutorService pool = Executors.newFixedThreadPool(16);
    List<Future<Answer>> answers = new ArrayList<>();
    String[] actions = {"approve", "deny", "revoke"};
    for (int i = 0; i < 30; i++) {
      String token = idp.token("approver" + i, "sre", i % 5 == 0 ? "platform" : "sre");
      String action = actions[i % 3];
      answers.add(
          pool.submit(() -> call(token, "POST", "/v1/requests/" + id + "/" + action, "{}")));
    }
    int ok = 0;
    for (Future<Answer> f : answers) {
      Answer a = f.get();
      if (a.status() == 200) {
        ok++;
        continue;
      }
      // Every caller may decide; one that lost the race finds the request in another state.
      assertThat(a.status()).as(a.body().toString()).isEqualTo(409);
      assertThat(a.body().get("code").asText()).isEqualTo("conflict");
    }
    pool.shutdown();
    JsonNode end = call(alice(), "GET", "/v1/requests/" + id, null).body();
    // The approvers' own events: what stint did on its own afterwards (a revocation applied at
    // AWS, a reminder) is audited too, asynchronously, and is not a decision.
    List<String> types = auditTypes(id, "approver%");
    long changes = types.stream().filter(t -> !t.equals("request.refused")).count();
    assertThat(changes).as(types.toString()).isEqualTo(ok);
    assertThat(types.stream().filter(t -> t.equals("request.refused")).count()).isEqualTo(30 - ok);
    String state = end.get("state").asText();
    assertThat(state).isIn("active", "denied", "revoked");
    if (state.equals("denied")) {
      assertThat(types).doesNotContain("request.approved");
    }
  }

  static List<String> auditTypes(String requestId) {
    return auditTypes(requestId, "%");
  }

  /** The request's audit event types, in order, of actors whose subject is LIKE the pattern. */
  static List<String> auditTypes(String requestId, String actorSubjects) {
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
        var st =
            c.prepareStatement(
                "SELECT type FROM audit_events WHERE request_id = ?"
                    + " AND coalesce(actor_subject, '') LIKE ? ORDER BY seq")) {
      st.setString(1, requestId);
      st.setString(2, actorSubjects);
      List<String> out = new ArrayList<>();
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }
}
