package dev.stint.issuance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stint.config.DatabaseUrl;
import dev.stint.demo.AwsStandIn.Call;
import dev.stint.testing.AuditTables;
import dev.stint.testing.DenyEvaluator;
import dev.stint.testing.DenyEvaluator.Session;
import dev.stint.testing.FakeIam;
import dev.stint.testing.FakeSts;
import dev.stint.testing.TestIdp;
import dev.stint.testing.TestPolicies;
import dev.stint.testing.TestPostgres;
import dev.stint.testing.TestServer;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Revoking an AWS grant ends exactly that grant's sessions: the deny the server writes to the
 * role is evaluated against the sessions the fake STS actually minted, and a credential minted
 * while the revocation commits is never handed out.
 */
class AwsRevocationSessionsTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String ROLE = "prod-admin";
  static FakeSts sts;
  static FakeIam iam;
  static TestIdp idp;
  static DatabaseUrl db;
  static TestServer server;

  @BeforeAll
  static void start() {
    // stint's own AWS identity for assume_role, through the SDK's default chain.
    System.setProperty("aws.accessKeyId", "AKIASTINTE2ETEST0002");
    System.setProperty("aws.secretAccessKey", "stint-e2e-test-secret-not-real-0000000001");
    sts = new FakeSts();
    iam = new FakeIam().createRole(ROLE).createRole("sandbox");
    idp = new TestIdp("corp");
    db = TestPostgres.migratedDatabase();
    server = TestServer.start(db, Map.of("STINT_AWS_STS_ENDPOINT", sts.uri().toString(),
        "STINT_AWS_IAM_ENDPOINT", iam.uri().toString(),
        "STINT_AWS_REGION", "eu-west-1"), TestPolicies.requests(idp));
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

  record Answer(int status, JsonNode body) {}

  static Answer post(String token, String path, String body) {
    HttpResponse<String> r = server.send(HttpRequest.newBuilder(server.uri(path))
        .header("Authorization", "Bearer " + token)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    try {
      return new Answer(r.statusCode(), JSON.readTree(r.body()));
    } catch (IOException e) {
      throw new AssertionError(r.body(), e);
    }
  }

  static String requestAndApprove(String user, int seconds) {
    Answer created = post(idp.token(user, "eng"), "/v1/requests", "{\"profile\":\"prod\","
        + "\"duration_seconds\":" + seconds + ",\"reason\":\"INC-7 revocation test\"}");
    String id = created.body().get("id").asText();
    for (String approver : List.of("bob", "carol")) {
      created = post(idp.token(approver, "sre"), "/v1/requests/" + id + "/approve", "{}");
    }
    assertThat(created.body().get("state").asText()).as(created.body().toString())
        .isEqualTo("active");
    return id;
  }

  /** Mints with {@code token} and answers the session the fake STS made for it. */
  static Session mint(String token) {
    Answer a = post(token, "/v1/credentials", "{\"profile\":\"prod\"}");
    assertThat(a.status()).as(a.body().toString()).isEqualTo(200);
    String grant = a.body().get("grant_id").asText();
    List<Call> calls = sts.calls().stream()
        .filter(c -> "AssumeRole".equals(c.param("Action")))
        .filter(c -> grant.equals(c.param("Tags.member.1.Value"))).toList();
    return Session.of(calls.get(calls.size() - 1), Instant.now());
  }

  static String revokeAndAwaitDeny(String user, String requestId) throws Exception {
    Answer revoked = post(idp.token(user, "eng"), "/v1/requests/" + requestId + "/revoke", "{}");
    assertThat(revoked.status()).as(revoked.body().toString()).isEqualTo(200);
    String applied = "type = 'grant.revocation_applied' AND request_id = '" + requestId + "'";
    for (int i = 0; i < 100 && AuditTables.count(db, applied) == 0; i++) {
      Thread.sleep(100);
    }
    assertThat(AuditTables.count(db, applied)).isEqualTo(1);
    return iam.policy(ROLE, "stint-revocations").orElseThrow();
  }

  @Test
  void aSessionMintedFromATokenWithoutTheEmailClaimIsDeniedOnceItsGrantIsRevoked()
      throws Exception {
    String id = requestAndApprove("nina", 3600);
    Session session = mint(idp.tokenWithClaims("nina", Map.of("groups", List.of("eng"))));

    String policy = revokeAndAwaitDeny("nina", id);

    Instant later = Instant.now().plus(Duration.ofMinutes(5));
    assertThat(DenyEvaluator.denies(policy, session, later)).as(policy).isTrue();
  }

  @Test
  void revokingOneGrantLeavesTheSamePersonsOtherGrantOnTheRoleWorking() throws Exception {
    String first = requestAndApprove("omar", 1800);
    Session firstSession = mint(idp.token("omar", "eng"));
    requestAndApprove("omar", 3600);
    Session secondSession = mint(idp.token("omar", "eng"));
    assertThat(secondSession.tags().get("stint:grant"))
        .isNotEqualTo(firstSession.tags().get("stint:grant"));

    String policy = revokeAndAwaitDeny("omar", first);

    Instant later = Instant.now().plus(Duration.ofMinutes(5));
    assertThat(DenyEvaluator.denies(policy, firstSession, later)).as(policy).isTrue();
    assertThat(DenyEvaluator.denies(policy, secondSession, later)).as(policy).isFalse();
    assertThat(post(idp.token("omar", "eng"), "/v1/credentials", "{\"profile\":\"prod\"}")
        .status()).isEqualTo(200);
  }

  @Test
  void aCredentialMintedWhileItsGrantIsRevokedIsWithheldAndAudited() throws Exception {
    String id = requestAndApprove("pia", 3600);
    FakeSts.Hold hold = sts.holdNext();
    CompletableFuture<Answer> pending = CompletableFuture.supplyAsync(() ->
        post(idp.token("pia", "eng"), "/v1/credentials", "{\"profile\":\"prod\"}"));
    hold.arrived().get(10, TimeUnit.SECONDS);
    FakeSts.Issued minted = sts.issued().get(sts.issued().size() - 1);

    Answer revoked = post(idp.token("pia", "eng"), "/v1/requests/" + id + "/revoke", "{}");
    assertThat(revoked.status()).as(revoked.body().toString()).isEqualTo(200);
    hold.release().complete(null);
    Answer a = pending.get(10, TimeUnit.SECONDS);

    assertThat(a.status()).as(a.body().toString()).isEqualTo(409);
    assertThat(a.body().get("code").asText()).isEqualTo("conflict");
    assertThat(a.body().get("detail").asText()).contains("revoked").contains("withheld");
    assertThat(a.body().toString()).doesNotContain(minted.accessKeyId())
        .doesNotContain(minted.secretAccessKey());
    List<String> denied = AuditTables.strings(db, "SELECT details::text FROM audit_events"
        + " WHERE type = 'credential.denied' AND actor_subject = 'pia' AND request_id = '" + id + "'");
    assertThat(denied).hasSize(1);
    assertThat(denied.get(0)).contains(minted.accessKeyId()).contains("\"withheld\": true")
        .doesNotContain(minted.secretAccessKey()).doesNotContain(minted.sessionToken());
    assertThat(AuditTables.count(db, "type = 'credential.issued' AND actor_subject = 'pia'"))
        .isZero();
  }
}
