package dev.stint.access;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stint.config.DatabaseUrl;
import dev.stint.testing.ApiCalls;
import dev.stint.testing.ApiCalls.Answer;
import dev.stint.testing.AuditTables;
import dev.stint.testing.TestIdp;
import dev.stint.testing.TestPostgres;
import dev.stint.testing.TestServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A person is (issuer, subject). A second trusted issuer (a partner's) that puts alice's email in a
 * token of its own must not get alice's rights: it may not see, cancel, revoke or extend her
 * request. The email still refuses: alice signed in through the partner issuer cannot approve her
 * own request.
 */
class CrossIssuerIdentityIT {
  static TestIdp corp;
  static TestIdp partner;
  static TestServer server;
  static DatabaseUrl db;

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
            + "    approval: {count: 1, approvers: 'principal.groups.exists(g, g == \"sre\")'}\n"
            + "    extension: {max_total: 4h, approval: required}\n";
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

  /** A partner token whose subject is the partner's own, but whose email is alice's. */
  static String impostor(String... groups) {
    return partner.tokenWithClaims(
        "mallory", Map.of("email", "ALICE@example.com", "groups", List.of(groups)));
  }

  static String aliceRequest() {
    Answer a =
        call(
            corp.token("alice"),
            "POST",
            "/v1/requests",
            "{\"profile\":\"prod\",\"duration_seconds\":1800,\"reason\":\"INC-1\"}");
    assertThat(a.status()).as(a.body().toString()).isEqualTo(201);
    return a.body().get("id").asText();
  }

  static String approvedAliceRequest() {
    String id = aliceRequest();
    Answer ok = call(corp.token("bob", "sre"), "POST", "/v1/requests/" + id + "/approve", "{}");
    assertThat(ok.status()).as(ok.body().toString()).isEqualTo(200);
    return id;
  }

  /**
   * The answer to a caller who may not see the request: the same 404 as for a request that does not
   * exist, so it does not tell them the request is there.
   */
  static void unseen(Answer a, String id) {
    assertThat(a.status()).as(a.body().toString()).isEqualTo(404);
    assertThat(a.code()).isEqualTo("not_found");
    assertThat(a.body().get("detail").asText()).isEqualTo("no request " + id);
  }

  @Test
  void anotherIssuersTokenWithTheSameEmailCannotSeeTheRequest() {
    String id = aliceRequest();
    unseen(call(impostor(), "GET", "/v1/requests/" + id, null), id);
    JsonNode mine = call(impostor(), "GET", "/v1/requests?mine=true", null).body();
    assertThat(mine.toString()).doesNotContain(id);
  }

  @Test
  void anotherIssuersTokenWithTheSameEmailCannotCancelIt() {
    String id = aliceRequest();
    Answer a = call(impostor(), "POST", "/v1/requests/" + id + "/cancel", "{}");
    unseen(a, id);
    Answer still = call(corp.token("alice"), "GET", "/v1/requests/" + id, null);
    assertThat(still.body().get("state").asText()).isEqualTo("pending");
  }

  @Test
  void anotherIssuersTokenWithTheSameEmailCannotRevokeTheGrant() {
    String id = approvedAliceRequest();
    Answer a = call(impostor(), "POST", "/v1/requests/" + id + "/revoke", "{}");
    unseen(a, id);
    Answer still = call(corp.token("alice"), "GET", "/v1/requests/" + id, null);
    assertThat(still.body().get("state").asText()).isEqualTo("active");
  }

  @Test
  void anotherIssuersTokenWithTheSameEmailCannotExtendTheGrant() throws Exception {
    String id = approvedAliceRequest();
    Answer a =
        call(
            impostor(),
            "POST",
            "/v1/requests/" + id + "/extend",
            "{\"duration_seconds\":1800,\"reason\":\"INC-1 more\"}");
    unseen(a, id);
    // Refused like a decision on a request the caller may not see: on the record.
    assertThat(
            AuditTables.strings(
                db,
                "SELECT actor_subject || ' ' || outcome || ' ' || (details->>'action') || ' '"
                    + " || (details->>'code') FROM audit_events"
                    + " WHERE type = 'request.refused' AND request_id = '"
                    + id
                    + "'"))
        .containsExactly("mallory refused extend not_found");
    assertThat(AuditTables.count(db, "type LIKE 'grant.extension%' AND request_id = '" + id + "'"))
        .isZero();
  }

  @Test
  void theRealOwnerKeepsHerRights() {
    String id = aliceRequest();
    Answer a = call(corp.token("alice"), "POST", "/v1/requests/" + id + "/cancel", "{}");
    assertThat(a.status()).as(a.body().toString()).isEqualTo(200);
  }

  @Test
  void theSameEmailFromAnotherIssuerStillCannotApproveItsOwnRequest() {
    String id = aliceRequest();
    Answer a =
        call(
            partner.tokenWithClaims(
                "alice-partner", Map.of("email", "Alice@Example.com", "groups", List.of("sre"))),
            "POST",
            "/v1/requests/" + id + "/approve",
            "{}");
    // Not 403: an approver's right to see the request comes from being allowed to approve it, and
    // the same email as the requester's takes that right away.
    unseen(a, id);
    Answer still = call(corp.token("alice"), "GET", "/v1/requests/" + id, null);
    assertThat(still.body().get("state").asText()).isEqualTo("pending");
  }
}
