package dev.stint.issuance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.config.DatabaseUrl;
import dev.stint.testing.ApiCalls;
import dev.stint.testing.ApiCalls.Answer;
import dev.stint.testing.AuditTables;
import dev.stint.testing.FakeSts;
import dev.stint.testing.StintAwsKeys;
import dev.stint.testing.TestIdp;
import dev.stint.testing.TestPostgres;
import dev.stint.testing.TestServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The line between CI jobs and people. A grant opened by a CI rule serves only tokens that pass
 * that rule again, through /v1/exchange, one credential per token; a CI provider's tokens are
 * refused on every people endpoint (any repository on the provider can get one) and people's tokens
 * on the exchange; each refusal is audited.
 */
class CiTrustBoundaryIT {
  static FakeSts sts;
  static TestIdp corp;
  static TestIdp mixed;
  static TestIdp gha;
  static DatabaseUrl db;
  static TestServer server;

  @BeforeAll
  static void start() {
    StintAwsKeys.use();
    sts = new FakeSts();
    corp = new TestIdp("corp");
    mixed = new TestIdp("mixed");
    gha = new TestIdp("gha");
    db = TestPostgres.migratedDatabase();
    // "mixed" says it serves people and CI alike, so its tokens reach /v1/credentials: what
    // keeps a CI grant away from them there is the grant's own record of its rule.
    String mixedYaml = mixed.issuerYaml("mixed").replace("}\n", ", use: both}\n");
    String policy =
        "issuers:\n"
            + corp.issuerYaml("corp")
            + mixedYaml
            + gha.issuerYaml("gha")
            + "profiles:\n"
            + "  deploy:\n"
            + "    aws: {role_arn: \"arn:aws:iam::111122223333:role/deploy\", mode: web_identity}\n"
            + "    max_duration: 1h\n"
            + "    requesters: 'true'\n"
            + "    approval: {count: 1, approvers: 'principal.groups.exists(g, g == \"sre\")'}\n"
            + "  deploy-readonly:\n"
            + "    aws: {role_arn: \"arn:aws:iam::111122223333:role/deploy-readonly\","
            + " mode: web_identity}\n"
            + "    max_duration: 1h\n"
            + "    requesters: 'true'\n"
            + "    approval: {count: 1, approvers: 'principal.groups.exists(g, g == \"sre\")'}\n"
            + "ci:\n"
            + "  infra-main:\n"
            + "    issuer: mixed\n"
            + "    profile: deploy\n"
            + "    when: 'claims.repository == \"acme/infra\" && claims.ref == \"refs/heads/main\"'\n"
            + "    max_duration: 15m\n"
            + "    approval: required\n"
            + "  gha-now:\n"
            + "    issuer: gha\n"
            + "    profile: deploy\n"
            + "    when: 'claims.repository_id == \"123\"'\n"
            + "    max_duration: 15m\n"
            + "    approval: none\n"
            + "  gha-readonly:\n"
            + "    issuer: gha\n"
            + "    profile: deploy-readonly\n"
            + "    when: 'claims.repository_id == \"123\"'\n"
            + "    max_duration: 15m\n"
            + "    approval: none\n";
    server =
        TestServer.start(
            db,
            Map.of("STINT_AWS_STS_ENDPOINT", sts.uri().toString(), "STINT_AWS_REGION", "us-east-1"),
            policy);
    // The account's OIDC provider for stint's issuer, as an operator sets up web_identity.
    sts.trust(server.awsProvider());
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    gha.close();
    mixed.close();
    corp.close();
    sts.close();
    StintAwsKeys.clear();
  }

  static Answer call(String token, String method, String path, String body) {
    return new ApiCalls(server).call(token, method, path, body);
  }

  /** A GitHub environment-style subject: it names no ref, so the ref is only in the claims. */
  static String job(String environment, String ref) {
    return mixed.tokenWithClaims(
        "repo:acme/infra:environment:" + environment,
        Map.of("repository", "acme/infra", "ref", ref));
  }

  static final String DEPLOY = "{\"profile\":\"deploy\"}";

  /** A CI request under infra-main, approved by a person; answers its id. */
  static String approvedCiRequest(String environment) {
    Answer pending = call(job(environment, "refs/heads/main"), "POST", "/v1/exchange", DEPLOY);
    assertThat(pending.status()).as(pending.body().toString()).isEqualTo(202);
    String id = pending.body().get("request").get("id").asText();
    Answer ok = call(corp.token("bob", "sre"), "POST", "/v1/requests/" + id + "/approve", "{}");
    assertThat(ok.status()).as(ok.body().toString()).isEqualTo(200);
    return id;
  }

  @Test
  void aCiGrantIsNotUsableThroughCredentialsByATokenTheRuleRefuses() throws Exception {
    approvedCiRequest("prod");
    Answer a = call(job("prod", "refs/heads/attacker"), "POST", "/v1/credentials", DEPLOY);
    assertThat(a.status()).as(a.body().toString()).isEqualTo(403);
    assertThat(a.body().get("code").asText()).isEqualTo("approval_required");
    assertThat(
            AuditTables.count(
                db,
                "type = 'credential.denied' AND actor_subject = "
                    + "'repo:acme/infra:environment:prod'"))
        .isPositive();
  }

  @Test
  void aCiGrantIsNotUsableThroughTheConsole() {
    approvedCiRequest("console");
    Answer a = call(job("console", "refs/heads/main"), "POST", "/v1/console", DEPLOY);
    assertThat(a.status()).as(a.body().toString()).isEqualTo(403);
  }

  @Test
  void aCiGrantIsNotUsableThroughTheExchangeByATokenTheRuleRefuses() {
    approvedCiRequest("staging");
    Answer a = call(job("staging", "refs/heads/attacker"), "POST", "/v1/exchange", DEPLOY);
    assertThat(a.status()).as(a.body().toString()).isEqualTo(403);
  }

  @Test
  void aPollingTokenMintsOnceAfterApprovalAndIsThenSpent() {
    String token = job("qa", "refs/heads/main");
    Answer pending = call(token, "POST", "/v1/exchange", DEPLOY);
    assertThat(pending.status()).isEqualTo(202);
    String id = pending.body().get("request").get("id").asText();
    assertThat(call(token, "POST", "/v1/exchange", DEPLOY).status())
        .as("polling with the same token finds the same request")
        .isEqualTo(202);
    Answer state = call(token, "GET", "/v1/exchange/requests/" + id, null);
    assertThat(state.body().get("state").asText()).isEqualTo("pending");
    call(corp.token("bob", "sre"), "POST", "/v1/requests/" + id + "/approve", "{}");

    Answer minted = call(token, "POST", "/v1/exchange", DEPLOY);
    assertThat(minted.status()).as(minted.body().toString()).isEqualTo(200);
    Answer replayed = call(token, "POST", "/v1/exchange", DEPLOY);
    assertThat(replayed.status()).as(replayed.body().toString()).isEqualTo(403);
  }

  @Test
  void aJobCannotReadAnotherJobsRequest() {
    String id = approvedCiRequest("dev");
    Answer other =
        call(job("other", "refs/heads/main"), "GET", "/v1/exchange/requests/" + id, null);
    assertThat(other.status()).isEqualTo(404);
  }

  @Test
  void aCiOnlyIssuersTokenIsRefusedOnEveryPeopleEndpointAndAudited() throws Exception {
    String token =
        gha.tokenWithClaims(
            "repo:acme/anything:ref:refs/heads/main",
            Map.of("repository_id", "999", "groups", List.of("sre")));
    String[][] calls = {
      {
        "POST",
        "/v1/requests",
        "{\"profile\":\"deploy\",\"duration_seconds\":600," + "\"reason\":\"x\"}"
      },
      {"GET", "/v1/requests", null},
      {"GET", "/v1/profiles", null},
      {"GET", "/v1/whoami", null},
      {"POST", "/v1/requests/req_x/approve", "{}"},
      {"POST", "/v1/credentials", DEPLOY},
      {"POST", "/v1/console", DEPLOY},
      {"GET", "/v1/audit", null}
    };
    for (String[] c : calls) {
      Answer a = call(token, c[0], c[1], c[2]);
      assertThat(a.status()).as(c[0] + " " + c[1] + ": " + a.body()).isEqualTo(403);
      assertThat(a.body().get("code").asText()).isEqualTo("forbidden");
    }
    assertThat(
            AuditTables.count(
                db,
                "type = 'identity.refused' AND actor_subject = "
                    + "'repo:acme/anything:ref:refs/heads/main'"))
        .isEqualTo(calls.length);
  }

  @Test
  void theSameCiOnlyIssuerStillExchanges() {
    String token =
        gha.tokenWithClaims("repo:acme/api:ref:refs/heads/main", Map.of("repository_id", "123"));
    Answer a = call(token, "POST", "/v1/exchange", DEPLOY);
    assertThat(a.status()).as(a.body().toString()).isEqualTo(200);
  }

  @Test
  void aTokenThatTwoRulesAcceptMintsOnce() throws Exception {
    String token =
        gha.tokenWithClaims("repo:acme/web:ref:refs/heads/main", Map.of("repository_id", "123"));
    Answer first = call(token, "POST", "/v1/exchange", DEPLOY);
    assertThat(first.status()).as(first.body().toString()).isEqualTo(200);
    Answer second = call(token, "POST", "/v1/exchange", "{\"profile\":\"deploy-readonly\"}");
    assertThat(second.status()).as(second.body().toString()).isEqualTo(403);
    assertThat(second.body().get("detail").asText()).contains("already been exchanged");
    assertThat(
            AuditTables.count(
                db,
                "type = 'credential.denied' AND profile = 'deploy-readonly'"
                    + " AND reason LIKE 'replayed jti%'"))
        .isEqualTo(1);
  }

  @Test
  void aPeopleTokenIsRefusedOnTheExchangeAndAudited() throws Exception {
    Answer a = call(corp.token("alice", "sre"), "POST", "/v1/exchange", DEPLOY);
    assertThat(a.status()).as(a.body().toString()).isEqualTo(403);
    assertThat(AuditTables.count(db, "type = 'identity.refused' AND actor_subject = 'alice'"))
        .isEqualTo(1);
  }
}
