package dev.stint.lease;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.config.DatabaseUrl;
import dev.stint.testing.ApiCalls;
import dev.stint.testing.AuditTables;
import dev.stint.testing.Eventually;
import dev.stint.testing.FakeIam;
import dev.stint.testing.FakeSts;
import dev.stint.testing.TestIdp;
import dev.stint.testing.TestPostgres;
import dev.stint.testing.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A task lease and the suspensions access reviews make (issue 68), on a real server with a fake
 * STS: a lease cannot name an agent a review suspended from its profile, and a live lease mints
 * nothing once its agent or its holder is suspended, each refusal recorded ({@code lease.refused},
 * {@code credential.denied}); an agent nobody suspended mints as before, and so does the suspended
 * one once an admin restores them. Whether someone is suspended is read at each mint, and a read
 * that fails refuses.
 */
class LeaseSuspensionTest {
  static final String POLICY =
      """
      profiles:
        tasks:
          aws: {role_arn: 'arn:aws:iam::111122223333:role/reader', mode: assume_role}
          max_duration: 2h
          requesters: 'true'
          approval: {count: 1, approvers: '"sre" in principal.groups', auto_approve: 'true'}
          leases: {max_duration: 1h, max_active: 5}
          access_review:
            every: 90d
            reviewers: '"security" in principal.groups'
            due_in: 14d
            when_overdue: keep
      admins: '"admins" in principal.groups'
      """;

  static FakeSts sts;
  static FakeIam iam;
  static TestIdp idp;
  static DatabaseUrl db;
  static TestServer server;
  static ApiCalls api;
  static String review;

  @BeforeAll
  static void start() throws Exception {
    System.setProperty("aws.accessKeyId", "AKIASTINTLEASETEST002");
    System.setProperty("aws.secretAccessKey", "stint-lease-test-secret-not-real-0002");
    sts = new FakeSts();
    iam = new FakeIam().createRole("reader");
    idp = new TestIdp("corp");
    db = TestPostgres.migratedDatabase();
    server =
        TestServer.start(
            db,
            Map.of(
                "STINT_AWS_STS_ENDPOINT", sts.uri().toString(),
                "STINT_AWS_IAM_ENDPOINT", iam.uri().toString(),
                "STINT_AWS_REGION", "eu-west-1"),
            "issuers:\n" + idp.issuerYaml("corp") + POLICY);
    api = new ApiCalls(server);
    // Ada is seen before the review opens, so that it lists her.
    assertThat(api.get(idp.token("ada", "eng"), "/v1/profiles").status()).isEqualTo(200);
    Eventually.until("ada is seen", Duration.ofSeconds(10), () -> seen("ada"));
    ApiCalls.Answer opened =
        api.post(
            idp.token("erin", "admins"),
            "/v1/access-reviews",
            new JsonObject().put("profile", "tasks").encode());
    assertThat(opened.status()).as(opened.body().toString()).isEqualTo(201);
    review = opened.body().path("id").asText();
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    idp.close();
    sts.close();
    iam.close();
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
  }

  static boolean seen(String subject) throws Exception {
    return count("SELECT count(*) FROM people_seen WHERE subject = '" + subject + "'") == 1;
  }

  static long count(String sql) throws Exception {
    return Long.parseLong(AuditTables.strings(db, sql).get(0));
  }

  /** An active grant of {@code user} on tasks: its request id. */
  static String grant(String user) {
    ApiCalls.Answer created =
        api.post(
            idp.token(user, "eng"),
            "/v1/requests",
            new JsonObject()
                .put("profile", "tasks")
                .put("duration_seconds", 3600)
                .put("reason", "INC-68 an agent's task")
                .encode());
    assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
    assertThat(created.body().path("state").asText()).isEqualTo("active");
    return created.body().path("id").asText();
  }

  /** {@code holder}'s lease of {@code request} for {@code agent} (a lease token when null). */
  static ApiCalls.Answer createLease(String holder, String request, String agent) {
    JsonObject body = new JsonObject().put("task", "nightly report").put("duration_seconds", 900);
    if (agent != null) {
      body.put("agent", new JsonObject().put("issuer", idp.issuer()).put("subject", agent));
    }
    return api.post(idp.token(holder, "eng"), "/v1/requests/" + request + "/leases", body.encode());
  }

  static ApiCalls.Answer mint(String token, String lease) {
    return api.post(token, "/v1/credentials", new JsonObject().put("lease", lease).encode());
  }

  static long denied(String lease, String code, String reasonPart) throws Exception {
    return AuditTables.count(
        db,
        "type = 'credential.denied' AND details->>'lease_id' = '"
            + lease
            + "' AND details->>'code' = '"
            + code
            + "' AND reason LIKE '%"
            + reasonPart
            + "%'");
  }

  @Test
  void aLeaseMintsNothingOnceAReviewSuspendsItsAgentAndNoLeaseNamesThemWhileSuspended()
      throws Exception {
    String request = grant("hal");
    String adasLease = createLease("hal", request, "ada").body().path("id").asText();
    String nedsLease = createLease("hal", request, "ned").body().path("id").asText();
    assertThat(mint(idp.token("ada", "eng"), adasLease).status()).isEqualTo(200);

    ApiCalls.Answer removed =
        api.post(
            idp.token("rita", "security"),
            "/v1/access-reviews/" + review + "/decisions",
            new JsonObject()
                .put(
                    "items",
                    new JsonArray(
                        List.of(
                            new JsonObject()
                                .put("issuer", idp.issuer())
                                .put("subject", "ada")
                                .put("decision", "remove"))))
                .encode());
    assertThat(removed.status()).as(removed.body().toString()).isEqualTo(200);

    ApiCalls.Answer refused = mint(idp.token("ada", "eng"), adasLease);
    assertThat(refused.status()).as(refused.body().toString()).isEqualTo(403);
    assertThat(refused.body().path("detail").asText()).contains("agent").contains(review);
    assertThat(denied(adasLease, "forbidden", review)).as("the refusal is recorded").isEqualTo(1);
    assertThat(mint(idp.token("ned", "eng"), nedsLease).status())
        .as("an agent nobody suspended still mints")
        .isEqualTo(200);

    ApiCalls.Answer naming = createLease("hal", request, "ada");
    assertThat(naming.status()).as(naming.body().toString()).isEqualTo(403);
    assertThat(naming.body().path("detail").asText()).contains("agent").contains(review);
    assertThat(
            AuditTables.count(
                db,
                "type = 'lease.refused' AND details->>'action' = 'create'"
                    + " AND details->>'code' = 'forbidden' AND request_id = '"
                    + request
                    + "' AND reason LIKE '%"
                    + review
                    + "%'"))
        .isEqualTo(1);

    ApiCalls.Answer restored =
        api.post(
            idp.token("erin", "admins"),
            "/v1/eligibility/restore",
            new JsonObject()
                .put("profile", "tasks")
                .put("issuer", idp.issuer())
                .put("subject", "ada")
                .encode());
    assertThat(restored.status()).as(restored.body().toString()).isEqualTo(200);
    assertThat(mint(idp.token("ada", "eng"), adasLease).status())
        .as("restored, she mints on the lease again")
        .isEqualTo(200);
  }

  /**
   * A review's removal revokes the holder's grants of the profile in its own transaction, so their
   * leases stop with the grant. The suspension is written here alone, the grant left live, to show
   * the mint refuses on the holder's suspension itself, whatever else has or has not ended.
   */
  @Test
  void aLeaseMintsNothingOnceItsHolderIsSuspendedEvenWhileItsGrantIsLive() throws Exception {
    String request = grant("hugo");
    ApiCalls.Answer created = createLease("hugo", request, null);
    String lease = created.body().path("id").asText();
    String token = created.body().path("lease_token").asText();
    assertThat(mint(token, lease).status()).isEqualTo(200);

    AuditTables.execute(
        db,
        "INSERT INTO eligibility_suspensions (profile, issuer, subject, review_id, suspended_at)"
            + " VALUES ('tasks', '"
            + idp.issuer()
            + "', 'hugo', '"
            + review
            + "', now())");

    ApiCalls.Answer refused = mint(token, lease);
    assertThat(refused.status()).as(refused.body().toString()).isEqualTo(403);
    assertThat(refused.body().path("detail").asText()).contains("holder").contains(review);
    assertThat(denied(lease, "forbidden", review)).isEqualTo(1);
    ApiCalls.Answer another = createLease("hugo", request, null);
    assertThat(another.status()).as(another.body().toString()).isEqualTo(403);
    assertThat(
            AuditTables.count(
                db,
                "type = 'lease.refused' AND details->>'action' = 'create' AND request_id = '"
                    + request
                    + "'"))
        .isEqualTo(1);
  }

  /** The suspensions' table out of reach: a database error the check meets, and nothing else. */
  @Test
  void aMintOrALeaseWhoseSuspensionsCannotBeReadIsRefusedAndRecorded() throws Exception {
    String request = grant("fay");
    ApiCalls.Answer created = createLease("fay", request, null);
    String lease = created.body().path("id").asText();
    String token = created.body().path("lease_token").asText();
    assertThat(mint(token, lease).status()).isEqualTo(200);

    DatabaseUrl superuser = TestPostgres.asSuperuser(db);
    AuditTables.execute(
        superuser, "ALTER TABLE eligibility_suspensions RENAME TO eligibility_suspensions_away");
    ApiCalls.Answer refused;
    ApiCalls.Answer notMade;
    try {
      refused = mint(token, lease);
      notMade = createLease("fay", request, "ned");
    } finally {
      AuditTables.execute(
          superuser, "ALTER TABLE eligibility_suspensions_away RENAME TO eligibility_suspensions");
    }
    assertThat(refused.status()).as(refused.body().toString()).isEqualTo(503);
    assertThat(denied(lease, "unavailable", "suspended")).isEqualTo(1);
    assertThat(notMade.status()).as(notMade.body().toString()).isEqualTo(503);
    assertThat(
            AuditTables.count(
                db,
                "type = 'lease.refused' AND details->>'action' = 'create'"
                    + " AND details->>'code' = 'unavailable' AND request_id = '"
                    + request
                    + "'"))
        .isEqualTo(1);
    assertThat(mint(token, lease).status()).as("readable again").isEqualTo(200);
  }
}
