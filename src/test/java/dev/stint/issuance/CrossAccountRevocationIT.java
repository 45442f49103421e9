package dev.stint.issuance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.config.DatabaseUrl;
import dev.stint.testing.ApiCalls;
import dev.stint.testing.ApiCalls.Answer;
import dev.stint.testing.AuditTables;
import dev.stint.testing.Eventually;
import dev.stint.testing.FakeIam;
import dev.stint.testing.FakeSts;
import dev.stint.testing.TestIdp;
import dev.stint.testing.TestPostgres;
import dev.stint.testing.TestServer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A profile whose role is in another AWS account than stint's own (222233334444 beside stint's
 * 111122223333), where stint's own account has a role of the same name (Admin): revoking a grant
 * writes the deny on the other account's Admin through its broker role, never on stint's own Admin.
 * Without a broker role, issuing on such a profile is refused (assume_role and web_identity alike:
 * the revocation writes with stint's own identity in both), and the revocation of a session issued
 * there earlier (while a broker role was configured) fails on record, with the alarm, and writes
 * nothing.
 */
class CrossAccountRevocationIT {
  static final String OWN = "111122223333";
  static final String OTHER = "222233334444";
  static final String POLICY = "stint-revocations";

  FakeSts sts;
  FakeIam iam;
  TestIdp idp;
  DatabaseUrl db;
  TestServer server;

  static String policy(TestIdp idp) {
    return "issuers:\n"
        + idp.issuerYaml("corp")
        + "profiles:\n"
        + "  other-admin:\n"
        + "    aws: {role_arn: \"arn:aws:iam::"
        + OTHER
        + ":role/Admin\", mode: assume_role}\n"
        + "    max_duration: 1h\n"
        + "    requesters: 'true'\n"
        + "    approval: {count: 1, approvers: 'false', auto_approve: 'true'}\n"
        + "  other-admin-web:\n"
        + "    aws: {role_arn: \"arn:aws:iam::"
        + OTHER
        + ":role/Admin\", mode: web_identity}\n"
        + "    max_duration: 1h\n"
        + "    requesters: 'true'\n"
        + "    approval: {count: 1, approvers: 'false', auto_approve: 'true'}\n";
  }

  @BeforeEach
  void start() {
    System.setProperty("aws.accessKeyId", "AKIASTINTE2ETEST0061");
    System.setProperty("aws.secretAccessKey", "stint-e2e-test-secret-not-real-0000000061");
    sts = new FakeSts();
    iam = new FakeIam().createRole("Admin").createRole(OTHER, "Admin").signedBy(sts);
    idp = new TestIdp("corp");
    db = TestPostgres.migratedDatabase();
  }

  void serve(Optional<String> brokerRole) {
    Map<String, String> env = new HashMap<>();
    env.put("STINT_AWS_STS_ENDPOINT", sts.uri().toString());
    env.put("STINT_AWS_IAM_ENDPOINT", iam.uri().toString());
    env.put("STINT_AWS_REGION", "eu-west-1");
    brokerRole.ifPresent(r -> env.put("STINT_AWS_BROKER_ROLE", r));
    server = TestServer.start(db, env, policy(idp));
    sts.trust(server.awsProvider());
  }

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    idp.close();
    sts.close();
    iam.close();
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
  }

  /** A request on {@code profile}, auto-approved, and one credential minted on it. */
  String minted(ApiCalls api, String profile) throws Exception {
    Answer created =
        api.post(
            idp.token("alice", "eng"),
            "/v1/requests",
            "{\"profile\":\"" + profile + "\",\"duration_seconds\":1800,\"reason\":\"INC-61\"}");
    assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
    Answer minted =
        api.post(idp.token("alice", "eng"), "/v1/credentials", "{\"profile\":\"" + profile + "\"}");
    assertThat(minted.status()).as(minted.body().toString()).isEqualTo(200);
    return created.body().get("id").asText();
  }

  void revoke(ApiCalls api, String id) throws Exception {
    assertThat(api.post(idp.token("alice", "eng"), "/v1/requests/" + id + "/revoke", "{}").status())
        .isEqualTo(200);
  }

  long events(String type, String id) throws Exception {
    return AuditTables.count(db, "type = '" + type + "' AND request_id = '" + id + "'");
  }

  @Test
  void theDenyLandsOnTheRoleOfTheOtherAccountThroughItsBrokerRole() throws Exception {
    serve(Optional.of("stint-broker"));
    ApiCalls api = new ApiCalls(server);
    String id = minted(api, "other-admin");

    revoke(api, id);

    Eventually.until(
        "the revocation to be applied",
        Duration.ofSeconds(30),
        () -> events("grant.revocation_applied", id) == 1);
    assertThat(iam.policy(OTHER, "Admin", POLICY)).isPresent();
    assertThat(iam.policy(OWN, "Admin", POLICY)).isEmpty();
    assertThat(sts.calls())
        .filteredOn(c -> "arn:aws:iam::222233334444:role/stint-broker".equals(c.param("RoleArn")))
        .isNotEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"other-admin", "other-admin-web"})
  void withoutABrokerRoleIssuingOnTheOtherAccountIsRefusedWithoutNamingIt(String profile)
      throws Exception {
    serve(Optional.empty());
    ApiCalls api = new ApiCalls(server);
    Answer created =
        api.post(
            idp.token("alice", "eng"),
            "/v1/requests",
            "{\"profile\":\"" + profile + "\",\"duration_seconds\":1800,\"reason\":\"INC-61\"}");
    assertThat(created.status()).isEqualTo(201);

    Answer refused =
        api.post(idp.token("alice", "eng"), "/v1/credentials", "{\"profile\":\"" + profile + "\"}");

    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.body().toString())
        .contains("a revocation could not reach")
        .doesNotContain(OTHER)
        .doesNotContain(OWN);
    assertThat(sts.assumeCalls()).isEmpty();
  }

  /** A session issued while a broker role was configured, revoked after it was taken away. */
  @Test
  void withoutABrokerRoleTheRevocationFailsOnRecordAndStintsOwnAdminIsUntouched() throws Exception {
    serve(Optional.of("stint-broker"));
    String id = minted(new ApiCalls(server), "other-admin");
    server.close();
    serve(Optional.empty());
    ApiCalls api = new ApiCalls(server);

    revoke(api, id);

    Eventually.until(
        "the revocation to fail on record",
        Duration.ofSeconds(30),
        () -> events("grant.revocation_failed", id) > 0);
    assertThat(events("grant.revocation_applied", id)).isZero();
    assertThat(
            AuditTables.strings(
                db,
                "SELECT reason FROM audit_events WHERE type = 'grant.revocation_failed'"
                    + " AND request_id = '"
                    + id
                    + "'"))
        .anySatisfy(p -> assertThat(p).contains("aws.broker_role"));
    assertThat(iam.calls()).isEmpty();
    assertThat(iam.policy(OWN, "Admin", POLICY)).isEmpty();
    assertThat(iam.policy(OTHER, "Admin", POLICY)).isEmpty();
  }
}
