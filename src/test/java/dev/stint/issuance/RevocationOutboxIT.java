package dev.stint.issuance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stint.config.DatabaseUrl;
import dev.stint.testing.ApiCalls;
import dev.stint.testing.ApiCalls.Answer;
import dev.stint.testing.AuditTables;
import dev.stint.testing.Eventually;
import dev.stint.testing.FakeIam;
import dev.stint.testing.FakeSts;
import dev.stint.testing.TestIdp;
import dev.stint.testing.TestPolicies;
import dev.stint.testing.TestPostgres;
import dev.stint.testing.TestServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An AWS revocation is an outbox row committed with the revoke: one that IAM refused while the
 * server that revoked was running is applied by the next server on the same database, and admins
 * see undelivered revocations and put them back in line.
 */
class RevocationOutboxIT {
  static FakeSts sts;
  static FakeIam iam;
  static TestIdp idp;
  static DatabaseUrl db;
  static Map<String, String> env;

  @BeforeAll
  static void start() {
    System.setProperty("aws.accessKeyId", "AKIASTINTE2ETEST0003");
    System.setProperty("aws.secretAccessKey", "stint-e2e-test-secret-not-real-0000000002");
    sts = new FakeSts();
    iam = new FakeIam().createRole("prod-admin").createRole("sandbox");
    idp = new TestIdp("corp");
    db = TestPostgres.migratedDatabase();
    env =
        Map.of(
            "STINT_AWS_STS_ENDPOINT",
            sts.uri().toString(),
            "STINT_AWS_IAM_ENDPOINT",
            iam.uri().toString(),
            "STINT_AWS_REGION",
            "eu-west-1");
  }

  @AfterAll
  static void stop() throws Exception {
    idp.close();
    sts.close();
    iam.close();
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
  }

  static TestServer server() {
    return TestServer.start(db, env, TestPolicies.requests(idp));
  }

  /**
   * An auto-approved sandbox grant with a live session, revoked by its holder while IAM refuses the
   * deny once.
   */
  static String revokedWhileIamRefuses(ApiCalls api, String user) throws Exception {
    Answer created =
        api.post(
            idp.token(user, "oncall"),
            "/v1/requests",
            "{\"profile\":\"sandbox\",\"duration_seconds\":1800,\"reason\":\"outbox test\"}");
    assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
    String id = created.body().get("id").asText();
    Answer minted =
        api.post(idp.token(user, "oncall"), "/v1/credentials", "{\"profile\":\"sandbox\"}");
    assertThat(minted.status()).as(minted.body().toString()).isEqualTo(200);
    iam.failNext(FakeIam.Failure.ACCESS_DENIED);
    assertThat(api.post(idp.token(user, "oncall"), "/v1/requests/" + id + "/revoke", "{}").status())
        .isEqualTo(200);
    Eventually.until(
        "the first attempt to fail",
        Duration.ofSeconds(10),
        () ->
            AuditTables.count(db, "type = 'grant.revocation_failed' AND request_id = '" + id + "'")
                > 0);
    assertThat(
            AuditTables.count(
                db, "type = 'grant.revocation_applied' AND request_id = '" + id + "'"))
        .isZero();
    return id;
  }

  @Test
  void aRevocationTheServerCouldNotApplyIsAppliedByTheNextServer() throws Exception {
    String id;
    try (TestServer first = server()) {
      id = revokedWhileIamRefuses(new ApiCalls(first), "uma");
    }
    assertThat(
            AuditTables.strings(
                db,
                "SELECT state FROM outbox WHERE listener ="
                    + " 'revocation' AND request_id = '"
                    + id
                    + "'"))
        .containsExactly("pending");

    try (TestServer second = server()) {
      Eventually.until(
          "the next server to apply the revocation",
          Duration.ofSeconds(40),
          () ->
              AuditTables.count(
                      db, "type = 'grant.revocation_applied' AND request_id = '" + id + "'")
                  == 1);
    }
    String grant =
        AuditTables.strings(
                db,
                "SELECT grant_id FROM audit_events WHERE type ="
                    + " 'grant.revoked' AND request_id = '"
                    + id
                    + "'")
            .get(0);
    assertThat(iam.policy("sandbox", "stint-revocations").orElseThrow()).contains(grant);
    assertThat(
            AuditTables.strings(
                db,
                "SELECT state FROM outbox WHERE listener ="
                    + " 'revocation' AND request_id = '"
                    + id
                    + "'"))
        .containsExactly("done");
  }

  @Test
  void adminsSeeAnUndeliveredRevocationAndPutItBackInLine() throws Exception {
    try (TestServer server = server()) {
      ApiCalls api = new ApiCalls(server);
      String id = revokedWhileIamRefuses(api, "vera");

      Answer notAdmin = api.get(idp.token("vera", "oncall"), "/v1/admin/outbox");
      assertThat(notAdmin.status()).isEqualTo(403);
      assertThat(AuditTables.count(db, "type = 'outbox.refused' AND actor_subject = 'vera'"))
          .isEqualTo(1);

      Answer listed = api.get(idp.token("pat", "platform"), "/v1/admin/outbox");
      assertThat(listed.status()).as(listed.body().toString()).isEqualTo(200);
      JsonNode entry = null;
      for (JsonNode e : listed.body().get("entries")) {
        if (e.get("request_id").asText().equals(id)) {
          entry = e;
        }
      }
      assertThat(entry).as("the pending revocation is listed").isNotNull();
      assertThat(entry.get("listener").asText()).isEqualTo("revocation");
      assertThat(entry.get("state").asText()).isEqualTo("pending");
      assertThat(entry.get("attempts").asInt()).isEqualTo(1);

      Answer retried =
          api.post(
              idp.token("pat", "platform"),
              "/v1/admin/outbox/" + entry.get("id").asLong() + "/retry",
              "{}");
      assertThat(retried.status()).as(retried.body().toString()).isEqualTo(200);
      Eventually.until(
          "the retried revocation to apply",
          Duration.ofSeconds(10),
          () ->
              AuditTables.count(
                      db, "type = 'grant.revocation_applied' AND request_id = '" + id + "'")
                  == 1);
      assertThat(AuditTables.count(db, "type = 'outbox.retried' AND actor_subject = 'pat'"))
          .isEqualTo(1);
      assertThat(
              api.post(idp.token("pat", "platform"), "/v1/admin/outbox/999999999/retry", "{}")
                  .status())
          .isEqualTo(404);
    }
  }
}
