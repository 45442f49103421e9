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
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A grant a CI rule opened lasts the rule's max_duration and no longer: people's extension path
 * does not lengthen it, not even for a token of an issuer that serves people and CI alike (whose
 * subject alone names the grant's holder, whatever its ref). A person's grant on the same profile
 * still extends, so the refusal is about the grant's origin, not the profile. And the request a CI
 * rule opened is shown only to a token that passes that rule again.
 */
class CiGrantBoundsIT {
  static final String DEPLOY = "{\"profile\":\"deploy\"}";
  static final String ONE_HOUR_MORE = "{\"duration_seconds\":3600,\"reason\":\"longer\"}";
  static FakeSts sts;
  static TestIdp corp;
  static TestIdp mixed;
  static DatabaseUrl db;
  static TestServer server;

  @BeforeAll
  static void start() {
    StintAwsKeys.use();
    sts = new FakeSts();
    corp = new TestIdp("corp");
    mixed = new TestIdp("mixed");
    db = TestPostgres.migratedDatabase();
    String mixedYaml = mixed.issuerYaml("mixed").replace("}\n", ", use: both}\n");
    String policy =
        "issuers:\n"
            + corp.issuerYaml("corp")
            + mixedYaml
            + "profiles:\n"
            + "  deploy:\n"
            + "    aws: {role_arn: \"arn:aws:iam::111122223333:role/deploy\", mode: web_identity}\n"
            + "    max_duration: 1h\n"
            + "    requesters: 'true'\n"
            + "    approval: {count: 1, approvers: 'principal.groups.exists(g, g == \"sre\")'}\n"
            + "    extension: {max_total: 8h, approval: auto}\n"
            + "ci:\n"
            + "  infra-main:\n"
            + "    issuer: mixed\n"
            + "    profile: deploy\n"
            + "    when: 'claims.repository == \"acme/infra\" && claims.ref == \"refs/heads/main\"'\n"
            + "    max_duration: 15m\n"
            + "    approval: required\n";
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
    mixed.close();
    corp.close();
    sts.close();
    StintAwsKeys.clear();
  }

  static String job(String environment, String ref) {
    return mixed.tokenWithClaims(
        "repo:acme/infra:environment:" + environment,
        Map.of("repository", "acme/infra", "ref", ref));
  }

  /** A request opened under infra-main and approved by a person; answers the approval. */
  static Answer approvedCiRequest(String environment) {
    Answer pending = call(job(environment, "refs/heads/main"), "/v1/exchange", DEPLOY);
    assertThat(pending.status()).as(pending.body().toString()).isEqualTo(202);
    String id = pending.body().get("request").get("id").asText();
    Answer ok = call(corp.token("bob", "sre"), "/v1/requests/" + id + "/approve", "{}");
    assertThat(ok.status()).as(ok.body().toString()).isEqualTo(200);
    return ok;
  }

  @Test
  void aTokenTheRuleRefusesCannotLengthenACiGrant() throws Exception {
    Answer approved = approvedCiRequest("prod");
    String id = approved.body().get("id").asText();
    String endsAt = approved.body().get("grant").get("ends_at").asText();

    Answer a =
        call(job("prod", "refs/heads/attacker"), "/v1/requests/" + id + "/extend", ONE_HOUR_MORE);

    assertThat(a.status()).as(a.body().toString()).isEqualTo(403);
    assertThat(a.body().get("code").asText()).isEqualTo("forbidden");
    assertThat(AuditTables.count(db, "type = 'request.refused' AND request_id = '" + id + "'"))
        .isEqualTo(1);
    assertThat(AuditTables.count(db, "type = 'grant.extended' AND request_id = '" + id + "'"))
        .isZero();
    Answer seen = get(corp.token("bob", "sre"), "/v1/requests/" + id);
    assertThat(seen.body().get("grant").get("ends_at").asText()).isEqualTo(endsAt);
  }

  @Test
  void evenATokenTheRulePassesCannotLengthenACiGrantPastTheRule() {
    String id = approvedCiRequest("staging").body().get("id").asText();
    Answer a =
        call(job("staging", "refs/heads/main"), "/v1/requests/" + id + "/extend", ONE_HOUR_MORE);
    assertThat(a.status()).as(a.body().toString()).isEqualTo(403);
  }

  @Test
  void aPersonsGrantOnTheSameProfileStillExtends() {
    String alice = corp.token("alice", "dev");
    Answer created =
        call(
            alice,
            "/v1/requests",
            "{\"profile\":\"deploy\",\"duration_seconds\":600,\"reason\":\"fix\"}");
    assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
    String id = created.body().get("id").asText();
    call(corp.token("bob", "sre"), "/v1/requests/" + id + "/approve", "{}");
    Answer a = call(alice, "/v1/requests/" + id + "/extend", ONE_HOUR_MORE);
    assertThat(a.status()).as(a.body().toString()).isEqualTo(201);
    assertThat(a.body().get("state").asText()).isEqualTo("approved");
  }

  @Test
  void aTokenTheRuleRefusesDoesNotSeeTheJobsPendingRequest() {
    Answer pending = call(job("qa", "refs/heads/main"), "/v1/exchange", DEPLOY);
    assertThat(pending.status()).as(pending.body().toString()).isEqualTo(202);
    String id = pending.body().get("request").get("id").asText();

    Answer other = get(job("qa", "refs/heads/attacker"), "/v1/exchange/requests/" + id);
    assertThat(other.status()).as(other.body().toString()).isEqualTo(404);
    Answer same = get(job("qa", "refs/heads/main"), "/v1/exchange/requests/" + id);
    assertThat(same.status()).as(same.body().toString()).isEqualTo(200);
    assertThat(same.body().get("state").asText()).isEqualTo("pending");
  }

  static Answer call(String token, String path, String body) {
    return new ApiCalls(server).post(token, path, body);
  }

  static Answer get(String token, String path) {
    return new ApiCalls(server).get(token, path);
  }
}
