package dev.stint.facts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.config.DatabaseUrl;
import dev.stint.standin.HttpFactStandIn;
import dev.stint.standin.JiraStandIn;
import dev.stint.standin.PagerDutyStandIn;
import dev.stint.testing.AuditTables;
import dev.stint.testing.Eventually;
import dev.stint.testing.ShiftedClock;
import dev.stint.testing.TestIdp;
import dev.stint.testing.TestPostgres;
import dev.stint.testing.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Facts through a real server, from the PagerDuty and Jira stand-ins over HTTP: whoever is on call
 * with an open ticket is approved at once and the event records both facts; an on-call approver
 * finds and approves a request that others cannot see; a requester refused on a fact is told which;
 * a PagerDuty outage leaves requests pending with the error in their events; and a grant ends by
 * itself once its ticket is closed in Jira. The server's own provider ({@code facts.http.change},
 * set through the environment) approves at once when it answers true, and its outage leaves the
 * request pending, the caller told which fact and not the provider's words.
 */
class FactsEndToEndIT {
  static final String PD_TOKEN = "pd-e2e-token-0123456789";
  static final String JIRA_TOKEN = "jira-e2e-token-0123456789";
  static final String CHANGE_TOKEN = "change-e2e-token-0123456789";
  static PagerDutyStandIn pagerDuty;
  static HttpFactStandIn change;
  static JiraStandIn jira;
  static TestIdp idp;
  static ShiftedClock clock;
  static DatabaseUrl database;
  static TestServer server;

  static String policy(TestIdp idp) {
    String aws =
        "    aws: {role_arn: \"arn:aws:iam::111122223333:role/prod\", mode: assume_role}\n";
    return "issuers:\n"
        + idp.issuerYaml("corp")
        + "profiles:\n"
        + "  incident:\n"
        + aws
        + "    max_duration: 1h\n"
        + "    requesters: 'true'\n"
        + "    end_when: 'ticket.exists && ticket.status_category == \"done\"'\n"
        + "    approval:\n"
        + "      count: 1\n"
        + "      approvers: 'oncall(\"PSRE001\")'\n"
        + "      auto_approve: 'oncall(\"PPLAT01\") && ticket.exists"
        + " && ticket.status_category != \"done\"'\n"
        + "  incident-db:\n"
        + aws
        + "    max_duration: 1h\n"
        + "    requesters: 'true'\n"
        + "    approval: {count: 1, approvers: 'oncall(\"PSRE001\")'}\n"
        + "  oncall-only:\n"
        + aws
        + "    max_duration: 1h\n"
        + "    requesters: 'oncall(\"PSRE001\")'\n"
        + "    approval: {count: 1, approvers: 'principal.groups.exists(g, g == \"sre\")'}\n"
        + "  changed:\n"
        + aws
        + "    max_duration: 1h\n"
        + "    requesters: 'true'\n"
        + "    approval:\n"
        + "      count: 1\n"
        + "      approvers: 'principal.groups.exists(g, g == \"sre\")'\n"
        + "      auto_approve: 'fact(\"change\", \"prod\")'\n"
        + "  staff-only:\n"
        + aws
        + "    max_duration: 1h\n"
        + "    requesters: 'fact(\"change\", \"staff\")'\n"
        + "    approval: {count: 1, approvers: 'principal.groups.exists(g, g == \"sre\")'}\n";
  }

  @BeforeAll
  static void start() throws Exception {
    pagerDuty = new PagerDutyStandIn(PD_TOKEN);
    jira = new JiraStandIn(JIRA_TOKEN);
    change = new HttpFactStandIn(CHANGE_TOKEN);
    idp = new TestIdp("corp");
    clock = new ShiftedClock();
    database = TestPostgres.migratedDatabase();
    server =
        TestServer.start(
            database,
            Map.of(
                "STINT_FACTS_PAGERDUTY_URL",
                pagerDuty.uri().toString(),
                "STINT_FACTS_PAGERDUTY_TOKEN",
                PD_TOKEN,
                "STINT_FACTS_JIRA_URL",
                jira.uri().toString(),
                "STINT_FACTS_JIRA_TOKEN",
                JIRA_TOKEN,
                "STINT_FACTS_HTTP_CHANGE_URL",
                change.uri().toString(),
                "STINT_FACTS_HTTP_CHANGE_TOKEN",
                CHANGE_TOKEN,
                "STINT_FACTS_RECHECK",
                "10s"),
            policy(idp),
            clock);
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    idp.close();
    pagerDuty.close();
    jira.close();
    change.close();
  }

  /** Each case sees the stand-ins as it sets them, not an answer the server cached before. */
  @BeforeEach
  void pastTheLookupCache() {
    clock.advance(Duration.ofSeconds(31));
  }

  static HttpResponse<String> post(String path, String token, JsonObject body) {
    return server.send(
        HttpRequest.newBuilder(server.uri(path))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.encode()))
            .build());
  }

  static HttpResponse<String> get(String path, String token) {
    return server.send(
        HttpRequest.newBuilder(server.uri(path))
            .header("Authorization", "Bearer " + token)
            .GET()
            .build());
  }

  /** A token whose email its identity provider verified: the only kind matched with on-call. */
  static String verified(String user, String... groups) {
    return idp.tokenWithClaims(
        user,
        Map.of("email", user + "@example.com", "email_verified", true, "groups", List.of(groups)));
  }

  static JsonObject request(String profile, String ticket) {
    return new JsonObject()
        .put("profile", profile)
        .put("duration_seconds", 1800)
        .put("reason", "INC-40 facts")
        .put("ticket", ticket);
  }

  static List<JsonObject> facts(String requestId, String type) throws Exception {
    List<String> details =
        AuditTables.strings(
            database,
            "SELECT details::text FROM audit_events WHERE request_id = '"
                + requestId
                + "' AND type = '"
                + type
                + "' ORDER BY seq DESC LIMIT 1");
    assertThat(details).as(type + " of " + requestId).hasSize(1);
    return new JsonObject(details.get(0))
        .getJsonArray("facts", new JsonArray()).stream().map(JsonObject.class::cast).toList();
  }

  @Test
  void onCallWithAnOpenTicketIsApprovedAtOnceAndTheGrantEndsWhenTheTicketCloses() throws Exception {
    pagerDuty.onCall("PPLAT01", "alice@example.com");
    jira.issues().ticket("OPS-1", "In Progress", "indeterminate", "alice@example.com", "OPS");
    String alice = verified("alice", "eng");
    HttpResponse<String> made = post("/v1/requests", alice, request("incident", "OPS-1"));
    assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
    JsonObject r = new JsonObject(made.body());
    assertThat(r.getString("state")).isEqualTo("active");
    assertThat(facts(r.getString("id"), "request.approved"))
        .extracting(f -> f.getString("name") + " " + f.getString("source"))
        .containsExactly("oncall(PPLAT01) pagerduty", "ticket jira");

    jira.issues().close("OPS-1");
    clock.advance(Duration.ofSeconds(31)); // past the lookups' cache
    Eventually.until(
        "the grant ended by end_when",
        Duration.ofSeconds(60),
        () ->
            "revoked"
                .equals(
                    new JsonObject(get("/v1/requests/" + r.getString("id"), alice).body())
                        .getString("state")));
    assertThat(facts(r.getString("id"), "grant.revoked"))
        .singleElement()
        .satisfies(
            f ->
                assertThat(f.getJsonObject("value").getString("status_category"))
                    .isEqualTo("done"));
  }

  @Test
  void theOnCallApproverFindsAndApprovesWhatOthersCannotSee() throws Exception {
    pagerDuty.onCall("PSRE001", "dave@example.com");
    pagerDuty.nobodyOnCall("PPLAT01");
    jira.issues().ticket("OPS-2", "Open", "new", null, "OPS");
    HttpResponse<String> made =
        post("/v1/requests", idp.token("bob", "eng"), request("incident", "OPS-2"));
    assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
    String id = new JsonObject(made.body()).getString("id");
    assertThat(new JsonObject(made.body()).getString("state")).isEqualTo("pending");

    assertThat(get("/v1/requests/" + id, idp.token("erin", "sre")).statusCode()).isEqualTo(404);
    String dave = verified("dave", "eng");
    assertThat(get("/v1/requests/" + id, dave).statusCode()).isEqualTo(200);
    HttpResponse<String> approved = post("/v1/requests/" + id + "/approve", dave, new JsonObject());
    assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
    assertThat(new JsonObject(approved.body()).getString("state")).isEqualTo("active");
  }

  /**
   * A bundle whose approvers are whoever is on call is made (who may approve is known only when
   * they vote, not from the people stint has seen) and one on-call vote approves it whole.
   */
  @Test
  void aBundleApprovedByWhoeverIsOnCall() {
    pagerDuty.onCall("PSRE001", "hana@example.com");
    pagerDuty.nobodyOnCall("PPLAT01");
    JsonObject body =
        new JsonObject()
            .put("profiles", new JsonArray().add("incident").add("incident-db"))
            .put("duration_seconds", 1800)
            .put("reason", "INC-40 bundle")
            .put("ticket", "OPS-5");
    jira.issues().ticket("OPS-5", "Open", "new", null, "OPS");
    HttpResponse<String> made = post("/v1/requests", idp.token("ivan", "eng"), body);
    assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
    String id = new JsonObject(made.body()).getString("id");
    HttpResponse<String> approved =
        post("/v1/requests/" + id + "/approve", verified("hana", "eng"), new JsonObject());
    assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
  }

  @Test
  void theServersOwnProviderApprovesAtOnceAndItsOutageLeavesTheRequestPending() throws Exception {
    change.answerAsSet();
    change.answer("change", "prod", true);
    HttpResponse<String> made =
        post("/v1/requests", idp.token("kim", "eng"), request("changed", "CHG-1"));
    assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
    JsonObject r = new JsonObject(made.body());
    assertThat(r.getString("state")).isEqualTo("active");
    assertThat(facts(r.getString("id"), "request.approved"))
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.getString("name")).isEqualTo("fact(change, prod)");
              assertThat(f.getString("argument")).isEqualTo("prod");
              assertThat(f.getBoolean("value")).isTrue();
              assertThat(f.getString("source")).isEqualTo("http:change");
            });
    JsonObject question = change.received().get(change.received().size() - 1);
    assertThat(question.getJsonObject("request").getString("ticket")).isEqualTo("CHG-1");

    change.answerInstead(503, "{\"error\":\"maintenance at 10.1.2.3\"}");
    clock.advance(Duration.ofSeconds(31)); // past the lookups' cache
    HttpResponse<String> waiting =
        post("/v1/requests", idp.token("kim", "eng"), request("changed", "CHG-1"));
    assertThat(waiting.statusCode()).as(waiting.body()).isEqualTo(201);
    JsonObject pending = new JsonObject(waiting.body());
    assertThat(pending.getString("state")).isEqualTo("pending");
    assertThat(facts(pending.getString("id"), "request.created"))
        .singleElement()
        .satisfies(
            f ->
                assertThat(f.getString("error"))
                    .isEqualTo("facts.http.change answered 503")
                    .doesNotContain(CHANGE_TOKEN));

    HttpResponse<String> refused =
        post("/v1/requests", idp.token("lee", "eng"), request("staff-only", "CHG-2"));
    assertThat(refused.statusCode()).isEqualTo(403);
    // The detail only: the body's random request id may itself contain "503".
    assertThat(new JsonObject(refused.body()).getString("detail"))
        .contains("fact(change, staff) unknown")
        .doesNotContain("503")
        .doesNotContain("10.1.2.3");
    change.answerAsSet();
  }

  @Test
  void aRequesterRefusedOnAFactIsToldWhich() {
    pagerDuty.nobodyOnCall("PSRE001");
    HttpResponse<String> refused =
        post("/v1/requests", verified("frank", "eng"), request("oncall-only", "OPS-3"));
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.body()).contains("oncall(PSRE001) false");
  }

  /** The issue's done-when: a provider outage leaves requests pending, the error recorded. */
  @Test
  void aPagerDutyOutageLeavesTheRequestPendingWithTheErrorInItsEvent() throws Exception {
    jira.issues().ticket("OPS-4", "Open", "indeterminate", "gina@example.com", "OPS");
    try (PagerDutyStandIn down = new PagerDutyStandIn(PD_TOKEN)) {
      // A fresh server pointed at a PagerDuty that answers 503 to everything.
      down.answerInstead(503, "{\"error\":{\"message\":\"Service Unavailable\",\"code\":2001}}");
      DatabaseUrl outageDb = TestPostgres.migratedDatabase();
      try (TestServer outage =
          TestServer.start(
              outageDb,
              Map.of(
                  "STINT_FACTS_PAGERDUTY_URL",
                  down.uri().toString(),
                  "STINT_FACTS_PAGERDUTY_TOKEN",
                  PD_TOKEN,
                  "STINT_FACTS_JIRA_URL",
                  jira.uri().toString(),
                  "STINT_FACTS_JIRA_TOKEN",
                  JIRA_TOKEN),
              policy(idp),
              clock)) {
        HttpResponse<String> made =
            outage.send(
                HttpRequest.newBuilder(outage.uri("/v1/requests"))
                    .header("Authorization", "Bearer " + verified("gina", "eng"))
                    .header("Content-Type", "application/json")
                    .POST(
                        HttpRequest.BodyPublishers.ofString(request("incident", "OPS-4").encode()))
                    .build());
        assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
        JsonObject r = new JsonObject(made.body());
        assertThat(r.getString("state")).isEqualTo("pending");
        List<String> details =
            AuditTables.strings(
                outageDb,
                "SELECT details::text FROM audit_events WHERE type = 'request.created'"
                    + " AND request_id = '"
                    + r.getString("id")
                    + "'");
        JsonObject onCall = new JsonObject(details.get(0)).getJsonArray("facts").getJsonObject(0);
        assertThat(onCall.getString("name")).isEqualTo("oncall(PPLAT01)");
        assertThat(onCall.getBoolean("value")).isFalse();
        assertThat(onCall.getString("error")).contains("503").doesNotContain(PD_TOKEN);
      }
    }
  }
}
