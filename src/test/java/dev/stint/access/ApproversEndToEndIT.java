package dev.stint.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.config.DatabaseUrl;
import dev.stint.testing.ApiCalls;
import dev.stint.testing.ApiCalls.Answer;
import dev.stint.testing.AuditTables;
import dev.stint.testing.Eventually;
import dev.stint.testing.TestIdp;
import dev.stint.testing.TestPostgres;
import dev.stint.testing.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * "Who can approve": the people stint has seen (API calls, web sign-ins) whose claims satisfy the
 * request's approver rule, most recently seen first, never the requester (nor someone with her
 * email at another issuer), never someone who already voted, and only for those who may see it.
 */
class ApproversEndToEndIT {
  static TestIdp corp;
  static TestIdp partner;
  static DatabaseUrl db;
  static TestServer server;

  @BeforeAll
  static void start() {
    corp = new TestIdp("corp");
    partner = new TestIdp("partner");
    String policy =
        "issuers:\n"
            + corp.issuerYaml("corp")
            + partner.issuerYaml("partner")
            + "profiles:\n"
            + "  prod:\n"
            + "    aws: {role_arn: \"arn:aws:iam::111122223333:role/prod-admin\", mode: assume_role}\n"
            + "    max_duration: 1h\n"
            + "    requesters: 'true'\n"
            + "    approval: {count: 2, approvers: 'principal.groups.exists(g, g == \"sre\")'}\n";
    db = TestPostgres.migratedDatabase();
    server = TestServer.start(db, Map.of(), policy);
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    partner.close();
    corp.close();
  }

  static Answer call(String token, String method, String path, String body) {
    return new ApiCalls(server).call(token, method, path, body);
  }

  /**
   * One API call makes the person seen; the write happens beside the call, so wait for it, and then
   * for the clock to pass it: the next person seen is seen strictly later, which orders the list.
   */
  static void seen(String token, String subject) throws Exception {
    assertThat(call(token, "GET", "/v1/whoami", null).status()).isEqualTo(200);
    Eventually.until(
        subject + " is seen, and the clock past it",
        Duration.ofSeconds(10),
        () ->
            AuditTables.strings(
                    db,
                    "SELECT clock_timestamp() > seen_at FROM people_seen WHERE subject = '"
                        + subject
                        + "'")
                .equals(List.of("t")));
  }

  static List<String> approvers(String token, String id) {
    Answer a = call(token, "GET", "/v1/requests/" + id + "/approvers", null);
    assertThat(a.status()).as(a.body().toString()).isEqualTo(200);
    List<String> out = new ArrayList<>();
    a.body().get("approvers").forEach(p -> out.add(p.get("subject").asText()));
    assertThat(a.body().get("total").asInt()).isEqualTo(out.size());
    return out;
  }

  static String request(String requester) {
    Answer a =
        call(
            corp.token(requester, "sre"),
            "POST",
            "/v1/requests",
            "{\"profile\":\"prod\",\"duration_seconds\":1800,\"reason\":\"INC-7\"}");
    assertThat(a.status()).as(a.body().toString()).isEqualTo(201);
    return a.body().get("id").asText();
  }

  @Test
  void namesThePeopleSeenWhoSatisfyTheRuleMostRecentFirst() throws Exception {
    seen(corp.token("ap-frank", "sre"), "ap-frank");
    seen(corp.token("ap-erin", "dev"), "ap-erin");
    seen(corp.token("ap-dave", "sre"), "ap-dave");
    seen(corp.token("ap-alice", "sre"), "ap-alice");
    // Alice's email at another issuer, in the approvers' group: might be her, so never named.
    seen(
        partner.tokenWithClaims(
            "ap-alice-partner", Map.of("email", "ap-alice@example.com", "groups", List.of("sre"))),
        "ap-alice-partner");
    String id = request("ap-alice");

    List<String> named = approvers(corp.token("ap-alice", "sre"), id);
    assertThat(named)
        .containsSubsequence("ap-dave", "ap-frank")
        .doesNotContain("ap-erin", "ap-alice", "ap-alice-partner");
    // An approver may ask too (whom else to ping for the second vote).
    assertThat(approvers(corp.token("ap-dave", "sre"), id)).contains("ap-dave", "ap-frank");
  }

  @Test
  void someoneWhoVotedIsNoLongerNamedAndADecidedRequestNamesNoOne() throws Exception {
    seen(corp.token("vt-dave", "sre"), "vt-dave");
    seen(corp.token("vt-frank", "sre"), "vt-frank");
    String id = request("vt-alice");
    assertThat(approvers(corp.token("vt-alice", "sre"), id)).contains("vt-dave", "vt-frank");

    assertThat(
            call(corp.token("vt-dave", "sre"), "POST", "/v1/requests/" + id + "/approve", "{}")
                .status())
        .isEqualTo(200);
    assertThat(approvers(corp.token("vt-alice", "sre"), id))
        .contains("vt-frank")
        .doesNotContain("vt-dave");

    assertThat(
            call(corp.token("vt-frank", "sre"), "POST", "/v1/requests/" + id + "/approve", "{}")
                .status())
        .isEqualTo(200);
    assertThat(approvers(corp.token("vt-alice", "sre"), id)).isEmpty();
  }

  @Test
  void peopleNotSeenForThirtyDaysAreNotNamed() throws Exception {
    seen(corp.token("old-gina", "sre"), "old-gina");
    String id = request("old-alice");
    assertThat(approvers(corp.token("old-alice", "sre"), id)).contains("old-gina");
    AuditTables.execute(
        db,
        "UPDATE people_seen SET seen_at = now() - interval '31 days'"
            + " WHERE subject = 'old-gina'");
    assertThat(approvers(corp.token("old-alice", "sre"), id)).doesNotContain("old-gina");
  }

  @Test
  void onlyThoseWhoMaySeeTheRequestMayAsk() throws Exception {
    String id = request("see-alice");
    Answer stranger =
        call(corp.token("see-erin", "dev"), "GET", "/v1/requests/" + id + "/approvers", null);
    assertThat(stranger.status()).isEqualTo(404);
    Answer none = call(null, "GET", "/v1/requests/" + id + "/approvers", null);
    assertThat(none.status()).isEqualTo(401);
  }

  @Test
  void ciTokensAreNeverRecordedAsPeople() throws Exception {
    Answer a = call(corp.token("ci-only"), "POST", "/v1/exchange", "{\"profile\":\"prod\"}");
    assertThat(a.status()).as(a.body().toString()).isEqualTo(403);
    assertThat(a.code()).isEqualTo("forbidden");
    assertThat(a.body().get("detail").asText())
        .isEqualTo("tokens from issuer 'corp' are for people; CI rules take CI tokens");
    // A person's call after it: had the refused call been recorded, its write was sent first.
    seen(corp.token("ci-sentinel", "dev"), "ci-sentinel");
    assertThat(
            AuditTables.strings(
                db, "SELECT subject FROM people_seen WHERE subject =" + " 'ci-only'"))
        .isEmpty();
  }

  @Test
  void onlyAVerifiedEmailIsKeptForMatching() throws Exception {
    seen(
        corp.tokenWithClaims(
            "em-unverified", Map.of("email", "Em@Example.com", "email_verified", false)),
        "em-unverified");
    seen(
        corp.tokenWithClaims(
            "em-verified", Map.of("email", "Em2@Example.com", "email_verified", true)),
        "em-verified");
    assertThat(
            AuditTables.strings(
                db,
                "SELECT coalesce(email, '-') FROM people_seen WHERE"
                    + " subject IN ('em-unverified', 'em-verified') ORDER BY subject"))
        .containsExactly("-", "em2@example.com");
  }
}
