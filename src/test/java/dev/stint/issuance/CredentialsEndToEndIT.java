package dev.stint.issuance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stint.config.DatabaseUrl;
import dev.stint.mint.aws.SourceIdentities;
import dev.stint.testing.AuditTables;
import dev.stint.testing.Eventually;
import dev.stint.testing.FakeAwsEndpoint.Call;
import dev.stint.testing.FakeIam;
import dev.stint.testing.FakeSignin;
import dev.stint.testing.FakeSts;
import dev.stint.testing.Patience;
import dev.stint.testing.TestIdp;
import dev.stint.testing.TestPolicies;
import dev.stint.testing.TestPostgres;
import dev.stint.testing.TestServer;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * POST /v1/credentials through a real server, the real AWS SDK and a fake STS that records the
 * exact request; the audit table is checked for every issuance and refusal.
 */
class CredentialsEndToEndIT {
  static final ObjectMapper JSON = new ObjectMapper();
  static FakeSts sts;
  static FakeIam iam;
  static FakeSignin signin;
  static TestIdp idp;
  static DatabaseUrl db;
  static TestServer server;

  @BeforeAll
  static void start() {
    // stint's own AWS identity for assume_role, through the SDK's default chain.
    System.setProperty("aws.accessKeyId", "AKIASTINTE2ETEST0001");
    System.setProperty("aws.secretAccessKey", "stint-e2e-test-secret-not-real-0000000000");
    sts = new FakeSts();
    iam = new FakeIam().createRole("prod-admin").createRole("sandbox");
    signin = new FakeSignin();
    idp = new TestIdp("corp");
    db = TestPostgres.migratedDatabase();
    server =
        TestServer.start(
            db,
            Map.of(
                "STINT_AWS_STS_ENDPOINT",
                sts.uri().toString(),
                "STINT_AWS_IAM_ENDPOINT",
                iam.uri().toString(),
                "STINT_AWS_SIGNIN_ENDPOINT",
                signin.uri().toString(),
                "STINT_AWS_REGION",
                "eu-west-1"),
            TestPolicies.requests(idp));
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    idp.close();
    sts.close();
    iam.close();
    signin.close();
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
  }

  @BeforeEach
  void resetSts() {
    sts.reset();
  }

  /** The fake's record is shared by the tests; each test looks at its own person's calls. */
  static List<Call> callsFor(String user) {
    return sts.calls().stream()
        .filter(c -> (user + "@example.com").equals(c.param("RoleSessionName")))
        .toList();
  }

  static FakeSts.Issued issued(String accessKeyId) {
    return sts.issued().stream()
        .filter(i -> i.accessKeyId().equals(accessKeyId))
        .findFirst()
        .orElseThrow();
  }

  record Answer(int status, JsonNode body) {}

  static Answer post(String token, String path, String body) {
    HttpResponse<String> r =
        server.send(
            HttpRequest.newBuilder(server.uri(path))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    try {
      return new Answer(r.statusCode(), JSON.readTree(r.body()));
    } catch (IOException e) {
      throw new AssertionError(r.body(), e);
    }
  }

  static String requestAndApprove(String user, String profile, int seconds) {
    Answer created =
        post(
            idp.token(user, "eng"),
            "/v1/requests",
            "{\"profile\":\""
                + profile
                + "\",\"duration_seconds\":"
                + seconds
                + ",\"reason\":\"INC-1 test\"}");
    String id = created.body().get("id").asText();
    for (String approver : List.of("bob", "carol")) {
      if (!created.body().get("state").asText().equals("active")) {
        created = post(idp.token(approver, "sre"), "/v1/requests/" + id + "/approve", "{}");
      }
    }
    assertThat(created.body().get("state").asText()).isEqualTo("active");
    return id;
  }

  static Answer get(String token, String path) {
    HttpResponse<String> r =
        server.send(
            HttpRequest.newBuilder(server.uri(path))
                .header("Authorization", "Bearer " + token)
                .GET()
                .build());
    try {
      return new Answer(r.statusCode(), JSON.readTree(r.body()));
    } catch (IOException e) {
      throw new AssertionError(r.body(), e);
    }
  }

  /**
   * What the CLI asks before serving a cached credential again: served while its grant is the one
   * issuance would mint on; not once a longer grant for the profile is approved, nor once revoked;
   * never answered for anyone but its holder.
   */
  @Test
  void aCachedCredentialIsServedOnlyWhileItsGrantIsTheOneIssuanceWouldUse() {
    String first = requestAndApprove("cara", "prod", 1800);
    Answer minted = post(idp.token("cara", "eng"), "/v1/credentials", "{\"profile\":\"prod\"}");
    String credential = minted.body().get("credential_id").asText();
    String path = "/v1/credentials/" + credential;

    Answer served = get(idp.token("cara", "eng"), path);
    assertThat(served.status()).as(served.body().toString()).isEqualTo(200);
    assertThat(served.body().get("serve").asBoolean()).isTrue();
    assertThat(served.body().get("reason").asText()).isEqualTo("serve");
    assertThat(served.body().get("grant_id").asText())
        .isEqualTo(minted.body().get("grant_id").asText());
    assertThat(get(idp.token("bob", "sre"), path).status()).as("not bob's").isEqualTo(404);
    assertThat(get(idp.token("cara", "eng"), "/v1/credentials/crd_nope").status()).isEqualTo(404);

    String longer = requestAndApprove("cara", "prod", 3600);
    Answer superseded = get(idp.token("cara", "eng"), path);
    assertThat(superseded.body().get("serve").asBoolean()).isFalse();
    assertThat(superseded.body().get("reason").asText()).isEqualTo("newer_grant");

    post(idp.token("cara", "eng"), "/v1/requests/" + longer + "/revoke", "{}");
    assertThat(get(idp.token("cara", "eng"), path).body().get("serve").asBoolean())
        .as("the first grant is the one issuance uses again")
        .isTrue();
    post(idp.token("bob", "sre"), "/v1/requests/" + first + "/revoke", "{}");
    Answer revoked = get(idp.token("cara", "eng"), path);
    assertThat(revoked.body().get("serve").asBoolean()).isFalse();
    assertThat(revoked.body().get("reason").asText()).isIn("revoked", "grant_ended");
  }

  @Test
  void anActiveGrantGetsCredentialsCappedAtItsEndAndAudited() throws Exception {
    String id = requestAndApprove("alice", "prod", 7200);
    Answer a = post(idp.token("alice", "eng"), "/v1/credentials", "{\"profile\":\"prod\"}");
    assertThat(a.status()).as(a.body().toString()).isEqualTo(200);
    FakeSts.Issued issued = issued(a.body().get("access_key_id").asText());
    assertThat(a.body().get("cloud").asText()).isEqualTo("aws");
    assertThat(a.body().get("secret_access_key").asText()).isEqualTo(issued.secretAccessKey());
    assertThat(a.body().get("session_token").asText()).isEqualTo(issued.sessionToken());

    assertThat(callsFor("alice")).hasSize(1);
    Call call = callsFor("alice").get(0);
    assertThat(call.params())
        .containsAllEntriesOf(
            Map.of(
                "RoleArn", "arn:aws:iam::111122223333:role/prod-admin",
                "RoleSessionName", "alice@example.com",
                "SourceIdentity",
                    SourceIdentities.of(idp.issuer(), "alice", a.body().get("grant_id").asText()),
                "Tags.member.1.Key", "stint:grant",
                "Tags.member.2.Value", "prod"));
    long duration = Long.parseLong(call.param("DurationSeconds"));
    assertThat(duration).isBetween(7000L, 7200L);
    assertThat(a.body().get("grant_id").asText()).startsWith("grt_");
    assertThat(call.param("Policy")).contains("aws:CurrentTime");

    List<String> rows =
        AuditTables.strings(
            db,
            "SELECT details::text FROM audit_events WHERE"
                + " type = 'credential.issued' AND request_id = '"
                + id
                + "'");
    assertThat(rows).hasSize(1);
    assertThat(rows.get(0))
        .contains(issued.accessKeyId())
        .doesNotContain(issued.secretAccessKey())
        .doesNotContain(issued.sessionToken());
    assertThat(AuditTables.rowsAsText(db))
        .noneMatch(
            row -> row.contains(issued.secretAccessKey()) || row.contains(issued.sessionToken()));
  }

  @Test
  void aGrantEndingInFiveMinutesGetsTheAwsMinimumAndADenyAfterItsEnd() {
    Answer created =
        post(
            idp.token("olga", "oncall"),
            "/v1/requests",
            "{\"profile\":\"sandbox\",\"duration_seconds\":300}");
    Instant ends = Instant.parse(created.body().get("grant").get("ends_at").asText());
    Answer a = post(idp.token("olga", "oncall"), "/v1/credentials", "{\"profile\":\"sandbox\"}");
    assertThat(a.status()).isEqualTo(200);
    Call call = callsFor("olga").get(0);
    assertThat(call.param("DurationSeconds")).isEqualTo("900");
    // Whole seconds, rounded down: the deny starts at, never after, the grant's end.
    assertThat(call.param("Policy"))
        .contains(
            "\"DateGreaterThan\":{\"aws:CurrentTime\":\""
                + ends.truncatedTo(ChronoUnit.SECONDS)
                + "\"}");
    assertThat(Instant.parse(a.body().get("expiration").asText())).isEqualTo(ends);
  }

  @Test
  void withoutAGrantTheCallerIsToldToRequestOne() throws Exception {
    Answer a = post(idp.token("nora", "eng"), "/v1/credentials", "{\"profile\":\"prod\"}");
    assertThat(a.status()).isEqualTo(403);
    assertThat(a.body().get("code").asText()).isEqualTo("approval_required");
    assertThat(a.body().get("detail").asText()).contains("stint request prod");
    assertThat(callsFor("nora")).isEmpty();
    assertThat(AuditTables.count(db, "type = 'credential.denied' AND actor_subject = 'nora'"))
        .isEqualTo(1);
  }

  @Test
  void aRevokedGrantThatNeverMintedNoLongerMintsAndWritesNothingToIam() throws Exception {
    String id = requestAndApprove("ruth", "prod", 3600);
    Answer revoked = post(idp.token("ruth", "eng"), "/v1/requests/" + id + "/revoke", "{}");
    assertThat(revoked.body().at("/revocation/live_credentials").asText()).isEqualTo("none");
    Answer a = post(idp.token("ruth", "eng"), "/v1/credentials", "{\"profile\":\"prod\"}");
    assertThat(a.status()).isEqualTo(403);
    assertThat(callsFor("ruth")).isEmpty();

    String applied = "type = 'grant.revocation_applied' AND request_id = '" + id + "'";
    Eventually.until(
        "the revocation to be settled",
        Duration.ofSeconds(10),
        () -> AuditTables.count(db, applied) > 0);
    assertThat(
            AuditTables.strings(
                db, "SELECT details->>'live_credentials' FROM audit_events" + " WHERE " + applied))
        .containsExactly("none");
    String grant = revoked.body().get("grant").get("id").asText();
    assertThat(iam.policy("prod-admin", "stint-revocations").orElse("")).doesNotContain(grant);
  }

  @Test
  void aRevokeSaysWhatItEndsForAwsAndRecordsIt() throws Exception {
    String id = requestAndApprove("rhea", "prod", 3600);
    Answer minted = post(idp.token("rhea", "eng"), "/v1/credentials", "{\"profile\":\"prod\"}");
    assertThat(minted.status()).as(minted.body().toString()).isEqualTo(200);

    Answer revoked = post(idp.token("rhea", "eng"), "/v1/requests/" + id + "/revoke", "{}");

    assertThat(revoked.status()).as(revoked.body().toString()).isEqualTo(200);
    JsonNode reach = revoked.body().get("revocation");
    assertThat(reach.get("cloud").asText()).isEqualTo("aws");
    assertThat(reach.get("live_credentials").asText()).isEqualTo("until_deny");
    assertThat(reach.get("roles"))
        .as("the roles the queued deny must reach, from the ledger")
        .extracting(JsonNode::asText)
        .containsExactly("arn:aws:iam::111122223333:role/prod-admin");
    assertThat(Instant.parse(reach.get("latest_expiry").asText()))
        .isEqualTo(Instant.parse(minted.body().get("expiration").asText()));
    assertThat(reach.get("note").asText())
        .contains(
            "stop once the deny on their role is in IAM", minted.body().get("expiration").asText());
    List<String> details =
        AuditTables.strings(
            db,
            "SELECT cloud || ' ' || details::text FROM"
                + " audit_events WHERE type = 'grant.revoked' AND request_id = '"
                + id
                + "'");
    assertThat(details)
        .singleElement()
        .satisfies(
            row ->
                assertThat(row)
                    .startsWith("aws ")
                    .contains("\"live_credentials\": \"until_deny\"")
                    .contains("deny on their role is in IAM"));
  }

  @Test
  void theConsoleLinkSignsInWithTheGrantsSession() throws Exception {
    requestAndApprove("vera", "prod", 3600);
    Answer a =
        post(
            idp.token("vera", "eng"),
            "/v1/console",
            "{\"profile\":\"prod\","
                + "\"destination\":\"https://console.aws.amazon.com/s3/home\"}");
    assertThat(a.status()).as(a.body().toString()).isEqualTo(200);
    String url = a.body().get("url").asText();
    assertThat(url)
        .startsWith(signin.uri() + "/federation?Action=login")
        .contains("&Destination=https%3A%2F%2Fconsole.aws.amazon.com%2Fs3%2Fhome")
        .contains("&SigninToken=");
    assertThat(AuditTables.count(db, "type = 'console.issued' AND actor_subject = 'vera'"))
        .isEqualTo(1);
    Answer elsewhere =
        post(
            idp.token("vera", "eng"),
            "/v1/console",
            "{\"profile\":\"prod\"," + "\"destination\":\"https://evil.example.com/\"}");
    assertThat(elsewhere.status()).isEqualTo(400);
  }

  @Test
  void aSessionWhoseSignInAwsRefusesIsWithheldNotLeftLive() throws Exception {
    requestAndApprove("wade", "prod", 3600);
    signin.failWith(503);
    Answer a;
    try {
      a = post(idp.token("wade", "eng"), "/v1/console", "{\"profile\":\"prod\"}");
    } finally {
      signin.failWith(0);
    }

    assertThat(a.status()).as(a.body().toString()).isEqualTo(503);
    assertThat(a.body().get("code").asText()).isEqualTo("upstream_unavailable");
    assertThat(
            AuditTables.strings(
                db,
                "SELECT type || ' ' || outcome FROM audit_events"
                    + " WHERE actor_subject = 'wade' AND type LIKE 'c%' ORDER BY seq"))
        .containsExactly("credential.issued ok", "credential.withheld refused");
    assertThat(
            AuditTables.strings(
                db,
                "SELECT c.state FROM credentials c JOIN audit_events e ON e.event_id = c.event_id"
                    + " WHERE e.actor_subject = 'wade'"))
        .containsExactly("withheld");
  }

  @Test
  void autoApprovingProfilesMintWithoutAPriorRequest() throws Exception {
    Answer a = post(idp.token("otto", "oncall"), "/v1/credentials", "{\"profile\":\"sandbox\"}");
    assertThat(a.status()).as(a.body().toString()).isEqualTo(200);
    assertThat(
            AuditTables.strings(
                db, "SELECT type FROM audit_events WHERE actor_subject =" + " 'otto' ORDER BY seq"))
        .containsExactly("request.created", "request.approved", "credential.issued");
  }

  @Test
  void aBurstOfCallsWithoutAGrantOpensOneAutoApprovedRequest() throws Exception {
    String token = idp.token("olive", "oncall");
    ExecutorService callers = Executors.newFixedThreadPool(12);
    try {
      List<Future<Answer>> calls = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        calls.add(
            callers.submit(() -> post(token, "/v1/credentials", "{\"profile\":\"sandbox\"}")));
      }
      for (Future<Answer> call : calls) {
        Answer a = call.get(Patience.seconds(30), TimeUnit.MILLISECONDS);
        assertThat(a.status()).as(a.body().toString()).isEqualTo(200);
      }
    } finally {
      callers.shutdownNow();
    }
    assertThat(
            AuditTables.strings(
                db,
                "SELECT type FROM audit_events WHERE actor_subject ="
                    + " 'olive' AND type LIKE 'request.%' ORDER BY seq"))
        .containsExactly("request.created", "request.approved");
    assertThat(
            AuditTables.strings(
                db,
                "SELECT DISTINCT grant_id FROM audit_events WHERE"
                    + " actor_subject = 'olive' AND type = 'credential.issued'"))
        .hasSize(1);
    assertThat(
            AuditTables.strings(
                db,
                "SELECT type FROM audit_events WHERE actor_subject ="
                    + " 'olive' AND type = 'credential.issued'"))
        .hasSize(12);
  }

  @Test
  void stsErrorsBecomeClearProblemsWithoutAwsDetails() throws Exception {
    requestAndApprove("sam", "prod", 3600);
    sts.failNext(FakeSts.Failure.ACCESS_DENIED);
    Answer denied = post(idp.token("sam", "eng"), "/v1/credentials", "{\"profile\":\"prod\"}");
    assertThat(denied.status()).isEqualTo(403);
    assertThat(denied.body().get("detail").asText())
        .doesNotContain("111122223333")
        .doesNotContain("arn:");
    sts.failAlways(FakeSts.Failure.THROTTLING);
    Answer throttled = post(idp.token("sam", "eng"), "/v1/credentials", "{\"profile\":\"prod\"}");
    assertThat(throttled.status()).isEqualTo(503);
    assertThat(throttled.body().get("code").asText()).isEqualTo("upstream_unavailable");
    sts.reset();
    assertThat(post(idp.token("sam", "eng"), "/v1/credentials", "{\"profile\":\"prod\"}").status())
        .isEqualTo(200);
    assertThat(AuditTables.count(db, "type = 'credential.denied' AND actor_subject = 'sam'"))
        .isEqualTo(2);
  }

  @Test
  void theAuditDatabaseFailingMidIssuanceReturnsNoCredentialAndRecoversAlone() throws Exception {
    requestAndApprove("tess", "prod", 3600);
    // A session holding the audit chain lock makes every audit write wait past its timeout, and
    // the writer's own connection is killed while it waits: the database is there but failing.
    try (Connection blocker = AuditTables.connect(db)) {
      blocker.createStatement().execute("SELECT pg_advisory_lock(x'5354494E54415544'::bigint)");
      Thread killer =
          new Thread(
              () -> {
                try {
                  // Once the audit writer is queued behind the lock, its connection is cut.
                  Eventually.until(
                      "the audit writer to wait on the chain lock",
                      Duration.ofSeconds(10),
                      () ->
                          !AuditTables.strings(
                                  db,
                                  "SELECT pid FROM pg_stat_activity WHERE datname ="
                                      + " current_database() AND query LIKE '%pg_advisory_xact_lock%'"
                                      + " AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()")
                              .isEmpty());
                  AuditTables.execute(
                      db,
                      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                          + " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                          + " AND query LIKE '%pg_advisory_xact_lock%'");
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      killer.start();
      Answer during = post(idp.token("tess", "eng"), "/v1/credentials", "{\"profile\":\"prod\"}");
      killer.join();
      assertThat(during.status()).as(during.body().toString()).isEqualTo(503);
      assertThat(during.body().get("code").asText()).isEqualTo("audit_unavailable");
      assertThat(during.body().has("secret_access_key")).isFalse();
      assertThat(callsFor("tess")).hasSize(1);
    }
    Answer after = post(idp.token("tess", "eng"), "/v1/credentials", "{\"profile\":\"prod\"}");
    assertThat(after.status()).as(after.body().toString()).isEqualTo(200);
    assertThat(AuditTables.count(db, "type = 'credential.issued' AND actor_subject = 'tess'"))
        .isEqualTo(1);
  }
}
