package dev.stint.activity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stint.config.DatabaseUrl;
import dev.stint.testing.ActivityRows;
import dev.stint.testing.ShiftedClock;
import dev.stint.testing.TestIdp;
import dev.stint.testing.TestPostgres;
import dev.stint.testing.TestServer;
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
 * {@code GET /v1/reports/unused} through a real server whose clock the test moves: grants that
 * ended in the window without a call are listed (nothing looked up, or looked up and silent, or
 * revoked), a used one, one still active and one that ended before the window are not; only
 * auditors may ask, and a window that is not a time is refused. Credentials and calls are written
 * into the test database (ActivityRows), not looked up in a CloudTrail stand-in.
 */
class UnusedGrantsIT {
  static final ObjectMapper JSON = new ObjectMapper();
  static ShiftedClock clock;
  static DatabaseUrl database;
  static TestIdp idp;
  static TestServer server;
  static String old;
  static String used;
  static String nothingIssued;
  static String silent;
  static String revoked;
  static String active;
  static Instant revokedAt;

  static String policy(TestIdp idp) {
    return "issuers:\n"
        + idp.issuerYaml("corp")
        + "profiles:\n"
        + "  quick:\n"
        + "    aws: {role_arn: \"arn:aws:iam::111122223333:role/prod\", mode: assume_role}\n"
        + "    max_duration: 1h\n"
        + "    requesters: 'true'\n"
        + "    approval: {count: 1, approvers: 'false', auto_approve: 'true'}\n"
        + "auditors: 'principal.groups.exists(g, g == \"security\")'\n";
  }

  @BeforeAll
  static void start() throws Exception {
    clock = new ShiftedClock();
    database = TestPostgres.migratedDatabase();
    idp = new TestIdp("corp");
    server = TestServer.start(database, Map.of(), policy(idp), clock);
    old = request("alice", 900);
    clock.advance(Duration.ofHours(3));
    used = request("alice", 900);
    nothingIssued = request("alice", 900);
    silent = request("bob", 900);
    revoked = request("bob", 900);
    revokedAt = clock.instant();
    send("bob", "POST", "/v1/requests/" + revoked + "/revoke", "{}", 200);
    Instant looked = clock.instant().plus(Duration.ofMinutes(30));
    ActivityRows.credential(database, used, "ASIAUNUSEDREPORT0001", looked);
    ActivityRows.calls(database, "ASIAUNUSEDREPORT0001", 2, clock.instant());
    ActivityRows.credential(database, silent, "ASIAUNUSEDREPORT0002", looked);
    clock.advance(Duration.ofHours(1));
    active = request("carol", 3600);
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    idp.close();
  }

  static String request(String user, int seconds) throws Exception {
    return JSON.readTree(
            send(
                user,
                "POST",
                "/v1/requests",
                "{\"profile\":\"quick\",\"duration_seconds\":" + seconds + ",\"reason\":\"r\"}",
                201))
        .path("id")
        .asText();
  }

  static String send(String user, String method, String path, String body, int status) {
    HttpResponse<String> r =
        server.send(
            HttpRequest.newBuilder(server.uri(path))
                .header("Authorization", "Bearer " + idp.dayToken(user, "eng"))
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body))
                .build());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    return r.body();
  }

  static JsonNode report(String query) throws Exception {
    HttpResponse<String> r =
        server.get("/v1/reports/unused" + query, idp.dayToken("sam", "security"));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  static List<String> ids(JsonNode report) {
    List<String> out = new ArrayList<>();
    report.path("grants").forEach(g -> out.add(g.path("request_id").asText()));
    return out;
  }

  @Test
  void grantsThatEndedInTheWindowWithoutACallAreListedLatestEndFirst() throws Exception {
    JsonNode month = report("?since=30d");
    assertThat(ids(month)).containsExactly(silent, nothingIssued, revoked, old);
    assertThat(month.path("truncated").asBoolean()).isFalse();
    JsonNode byBob = month.path("grants").get(0);
    assertThat(byBob.path("profile").asText()).isEqualTo("quick");
    assertThat(byBob.path("requester").path("subject").asText()).isEqualTo("bob");
    assertThat(byBob.path("requester").path("email").asText()).isEqualTo("bob@example.com");
    assertThat(byBob.path("requester").path("issuer").asText()).isEqualTo(idp.issuer());
    assertThat(byBob.path("credentials").asLong()).isEqualTo(1);
    assertThat(byBob.path("looked_up").asLong()).isEqualTo(1);
    assertThat(byBob.path("calls").asLong()).isZero();
    assertThat(byBob.path("reason").asText()).isEqualTo("no_call");
    assertThat(byBob.path("settled").asBoolean()).isTrue();
    JsonNode none = month.path("grants").get(1);
    assertThat(none.path("credentials").asLong()).isZero();
    assertThat(none.path("reason").asText()).isEqualTo("no_credential");
    Instant approved = Instant.parse(none.path("approved_at").asText());
    assertThat(Instant.parse(none.path("ended_at").asText())).isEqualTo(approved.plusSeconds(900));
    JsonNode cut = month.path("grants").get(2);
    assertThat(Instant.parse(cut.path("ended_at").asText()))
        .isBetween(revokedAt.minusSeconds(5), revokedAt.plusSeconds(5));
  }

  @Test
  void theWindowIsSinceAndADefaultOfThirtyDays() throws Exception {
    assertThat(ids(report("?since=2h"))).containsExactly(silent, nothingIssued, revoked);
    assertThat(ids(report(""))).containsExactly(silent, nothingIssued, revoked, old);
    Instant since = Instant.parse(report("?since=2h").path("since").asText());
    assertThat(since).isBetween(clock.instant().minusSeconds(7205), clock.instant());
    assertThat(ids(report("?since=" + clock.instant().plusSeconds(60)))).isEmpty();
    assertThat(ids(report("?since=30d"))).doesNotContain(used, active);
  }

  @Test
  void onlyAuditorsMayAskAndABadWindowIsRefused() throws Exception {
    HttpResponse<String> alice =
        server.get("/v1/reports/unused?since=30d", idp.dayToken("alice", "eng"));
    assertThat(alice.statusCode()).isEqualTo(403);
    assertThat(JSON.readTree(alice.body()).path("code").asText()).isEqualTo("forbidden");
    assertThat(alice.body()).doesNotContain(nothingIssued);
    assertThat(server.get("/v1/reports/unused").statusCode()).isEqualTo(401);
    for (String q : List.of("?since=yesterday", "?since=30x", "?since=1d&since=2d")) {
      HttpResponse<String> r =
          server.get("/v1/reports/unused" + q, idp.dayToken("sam", "security"));
      assertThat(r.statusCode()).as(q).isEqualTo(400);
      assertThat(JSON.readTree(r.body()).path("code").asText()).isEqualTo("invalid_request");
    }
    assertThat(
            server
                .get("/v1/reports/unused?since=yesterday", idp.dayToken("sam", "security"))
                .body())
        .contains("since must be an ISO-8601 time");
  }
}
