package dev.stint.revocation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stint.config.DatabaseUrl;
import dev.stint.db.Database;
import dev.stint.outbox.OutboxWorker;
import dev.stint.standin.SigningKeys;
import dev.stint.testing.ApiCalls;
import dev.stint.testing.ApiCalls.Answer;
import dev.stint.testing.AuditTables;
import dev.stint.testing.AwsStack;
import dev.stint.testing.DenyEvaluator;
import dev.stint.testing.DenyEvaluator.Session;
import dev.stint.testing.Eventually;
import dev.stint.testing.FakeAwsEndpoint.Call;
import dev.stint.testing.FakeIam;
import dev.stint.testing.FakeSts;
import dev.stint.testing.TestIdp;
import dev.stint.testing.TestServer;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Revocation acts on what was issued, as the credentials ledger recorded it, against the real SDK
 * and an IAM stand-in that keeps IAM's 10,240-character limit on a role's inline policies: a
 * requester cannot fill a role's deny so that a later revocation goes unwritten, a grant that never
 * minted writes nothing, and a deny goes to the role the sessions were minted on whatever the
 * policy says by the time of the revoke.
 */
class RevocationLedgerEndToEndIT {
  private static final String ROLE_ARN = "arn:aws:iam::111122223333:role/";
  static AwsStack aws;
  static FakeSts sts;
  static FakeIam iam;
  static TestIdp idp;
  static DatabaseUrl db;
  static TestServer server;
  static ApiCalls api;

  @BeforeAll
  static void start() {
    aws =
        AwsStack.start(
            idp -> policy(idp, "moving", "before"),
            "prod-admin",
            "crowded",
            "before",
            "after",
            "spare");
    sts = aws.sts();
    iam = aws.iam();
    idp = aws.idp();
    db = aws.db();
    server = aws.server();
    api = aws.api();
    // The crowded role has an operator's inline policy that leaves room for some fifty denies, and
    // its owners took every attachment slot IAM's quota has: stint cannot spill past its inline
    // one.
    for (int i = 0; i < 10; i++) {
      iam.managed()
          .attachDirectly(
              SigningKeys.HOME_ACCOUNT + "/crowded", "arn:aws:iam::aws:policy/Owners" + i);
    }
    iam.putPolicy(
        "crowded",
        "operators",
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":"
            + "\"Pad\",\"Effect\":\"Deny\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::"
            + "x".repeat(8_200)
            + "\"}]}");
  }

  @AfterAll
  static void stop() throws Exception {
    aws.close();
  }

  /**
   * On each of the roles prod-admin, crowded and spare: an admin profile that needs an sre's
   * approval and a read-only one that anyone gets at once (the layout docs/policies.md suggests);
   * plus {@code movingProfile} on {@code movingRole}.
   */
  static String policy(TestIdp idp, String movingProfile, String movingRole) {
    StringBuilder p = new StringBuilder("issuers:\n" + idp.issuerYaml("corp") + "profiles:\n");
    for (String role : List.of("prod-admin", "crowded", "spare")) {
      p.append("  admin-")
          .append(role)
          .append(":\n")
          .append("    aws: {role_arn: \"")
          .append(ROLE_ARN)
          .append(role)
          .append("\", mode: assume_role}\n")
          .append("    max_duration: 2h\n")
          .append("    requesters: 'principal.groups.exists(g, g == \"eng\")'\n")
          .append(
              "    approval: {count: 1, approvers: 'principal.groups.exists(g, g == \"sre\")'}\n")
          .append(readOnly("readonly-" + role, role));
    }
    if (!movingProfile.isEmpty()) {
      p.append(readOnly(movingProfile, movingRole));
    }
    return p.toString();
  }

  private static String readOnly(String name, String role) {
    return "  "
        + name
        + ":\n"
        + "    aws: {role_arn: \""
        + ROLE_ARN
        + role
        + "\", mode: assume_role}\n"
        + "    max_duration: 1h\n"
        + "    requesters: 'true'\n"
        + "    approval: {count: 1, approvers: 'principal.groups.exists(g, g == \"sre\")',"
        + " auto_approve: 'true'}\n";
  }

  /** An approved admin grant on {@code role} for {@code user}: the request id. */
  static String adminGrant(String user, String role) {
    Answer created =
        api.post(
            idp.token(user, "eng"),
            "/v1/requests",
            "{\"profile\":\"admin-"
                + role
                + "\",\"duration_seconds\":3600,\"reason\":\"ledger test\"}");
    assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
    String id = created.body().get("id").asText();
    Answer approved = api.post(idp.token("sam", "sre"), "/v1/requests/" + id + "/approve", "{}");
    assertThat(approved.body().get("state").asText()).isEqualTo("active");
    return id;
  }

  /** Mints on {@code profile} and answers the session the STS stand-in made for it. */
  static Session mint(String token, String profile) {
    Instant before = Instant.now();
    Answer a = api.post(token, "/v1/credentials", "{\"profile\":\"" + profile + "\"}");
    assertThat(a.status()).as(a.body().toString()).isEqualTo(200);
    String grant = a.body().get("grant_id").asText();
    List<Call> calls =
        sts.calls().stream()
            .filter(c -> "AssumeRole".equals(c.param("Action")))
            .filter(c -> grant.equals(c.param("Tags.member.1.Value")))
            .toList();
    return Session.of(calls.get(calls.size() - 1), before);
  }

  static String requestOf(String grant) throws Exception {
    return AuditTables.strings(db, "SELECT request_id FROM grants WHERE id = '" + grant + "'")
        .get(0);
  }

  static void revoke(String user, String request) {
    Answer revoked = api.post(idp.token(user, "eng"), "/v1/requests/" + request + "/revoke", "{}");
    assertThat(revoked.status()).as(revoked.body().toString()).isEqualTo(200);
  }

  static void awaitSettled(List<String> requests) throws Exception {
    String in = "'" + String.join("','", requests) + "'";
    Eventually.until(
        requests.size() + " revocations to settle",
        Duration.ofSeconds(60),
        () ->
            AuditTables.count(
                    db, "type = 'grant.revocation_applied' AND request_id IN (" + in + ")")
                >= requests.size());
  }

  static String document(String role) {
    return iam.policy(role, "stint-revocations").orElseThrow();
  }

  static long puts(String role) {
    return iam.calls().stream()
        .filter(c -> "PutRolePolicy".equals(c.param("Action")) && role.equals(c.param("RoleName")))
        .count();
  }

  @Test
  void revokingGrantsThatNeverMintedWritesNothingSoTheRoleStaysFreeForTheVictimsDeny()
      throws Exception {
    List<String> flood = new ArrayList<>();
    for (int i = 0; i < 140; i++) {
      Answer made =
          api.post(
              idp.token("mallory"),
              "/v1/requests",
              "{\"profile\":"
                  + "\"readonly-prod-admin\",\"duration_seconds\":3600,\"reason\":\"flood\"}");
      assertThat(made.status()).as(made.body().toString()).isEqualTo(201);
      String id = made.body().get("id").asText();
      Answer revoked = api.post(idp.token("mallory"), "/v1/requests/" + id + "/revoke", "{}");
      assertThat(revoked.body().at("/revocation/live_credentials").asText()).isEqualTo("none");
      flood.add(id);
    }
    awaitSettled(flood);
    assertThat(puts("prod-admin")).isZero();

    String victim = adminGrant("alice", "prod-admin");
    Session stolen = mint(idp.token("alice", "eng"), "admin-prod-admin");
    revoke("alice", victim);
    awaitSettled(List.of(victim));

    assertThat(
            DenyEvaluator.denies(
                document("prod-admin"), stolen, Instant.now().plus(Duration.ofMinutes(5))))
        .as(document("prod-admin"))
        .isTrue();
    assertThat(puts("prod-admin")).isEqualTo(1);
    JsonNode shown = api.get(idp.token("alice", "eng"), "/v1/requests/" + victim).body();
    assertThat(shown.at("/revocation/live_credentials").asText()).isEqualTo("denied");
    assertThat(AuditTables.count(db, "type = 'grant.revocation_failed'")).isZero();
  }

  /**
   * Many people, one revoked grant each, on a role with no room left to spill into: the last resort
   * widens, and the people whose live sessions it cut are named and told, and their credentials are
   * recorded as cut for a client to learn.
   */
  @Test
  void aRoleFullOfRevokedSessionsIsWidenedAndTheVictimsSessionIsStillDenied() throws Exception {
    String bystander = adminGrant("carol", "crowded");
    Session carols = mint(idp.token("carol", "eng"), "admin-crowded");
    List<String> flood = new ArrayList<>();
    for (int i = 0; i < 70; i++) {
      String user = "user" + i;
      Answer minted =
          api.post(idp.token(user), "/v1/credentials", "{\"profile\":\"readonly-crowded\"}");
      assertThat(minted.status()).as(minted.body().toString()).isEqualTo(200);
      String request = requestOf(minted.body().get("grant_id").asText());
      revoke(user, request);
      flood.add(request);
    }
    awaitSettled(flood);
    String victim = adminGrant("alice", "crowded");
    Session stolen = mint(idp.token("alice", "eng"), "admin-crowded");
    revoke("alice", victim);
    awaitSettled(List.of(victim));

    Instant later = Instant.now().plus(Duration.ofMinutes(5));
    assertThat(DenyEvaluator.denies(document("crowded"), stolen, later)).isTrue();
    assertThat(AuditTables.count(db, "type = 'grant.revocation_failed'")).isZero();
    List<String> widened =
        AuditTables.strings(
            db,
            "SELECT details::text FROM audit_events"
                + " WHERE type = 'grant.revocation_widened' AND target = '"
                + ROLE_ARN
                + "crowded'");
    assertThat(widened).isNotEmpty();
    // Carol's, and perhaps a flood session whose own revocation had not been delivered yet; she is
    // named among the people cut.
    assertThat(widened.get(0)).contains(carols.tags().get("stint:grant")).contains("carol");
    JsonNode carolsCredentials =
        api.get(idp.token("carol", "eng"), "/v1/requests/" + bystander + "/credentials")
            .body()
            .get("credentials");
    assertThat(carolsCredentials.get(0).get("state").asText()).isEqualTo("live");
    assertThat(carolsCredentials.get(0).get("cut_at").isTextual())
        .as("her cached session was cut: " + carolsCredentials)
        .isTrue();
    JsonNode cached =
        api.get(
                idp.token("carol", "eng"),
                "/v1/credentials/" + carolsCredentials.get(0).get("id").asText())
            .body();
    assertThat(cached.get("serve").asBoolean())
        .as("her CLI mints afresh instead of serving the cut session: " + cached)
        .isFalse();
    assertThat(cached.get("reason").asText()).isEqualTo("cut");
    // The bystander's session was cut with the rest, and she was told; a fresh one works.
    assertThat(DenyEvaluator.denies(document("crowded"), carols, later)).isTrue();
    assertThat(
            AuditTables.count(
                db, "type = 'grant.sessions_cut' AND request_id = '" + bystander + "'"))
        .isEqualTo(1);
    Session fresh = new Session(carols.tags(), carols.sourceIdentity(), later);
    assertThat(DenyEvaluator.denies(document("crowded"), fresh, later)).isFalse();
  }

  @Test
  void aDenyGoesToTheRoleTheSessionsWereMintedOnAfterTheProfileMovedOrLeft() throws Exception {
    Session moved = mint(idp.token("uma"), "moving");
    Session gone = mint(idp.token("vic"), "moving");
    String movedRequest = requestOf(moved.tags().get("stint:grant"));
    String goneRequest = requestOf(gone.tags().get("stint:grant"));

    reload(policy(idp, "moving", "after"));
    revoke("uma", movedRequest);
    reload(policy(idp, "", ""));
    revoke("vic", goneRequest);
    awaitSettled(List.of(movedRequest, goneRequest));

    Instant later = Instant.now().plus(Duration.ofMinutes(5));
    assertThat(DenyEvaluator.denies(document("before"), moved, later)).isTrue();
    assertThat(DenyEvaluator.denies(document("before"), gone, later)).isTrue();
    assertThat(iam.policy("after", "stint-revocations")).isEmpty();
    JsonNode shown =
        api.get(idp.token("vic"), "/v1/requests/" + goneRequest + "/credentials")
            .body()
            .get("credentials");
    assertThat(shown).hasSize(1);
    assertThat(shown.get(0).get("target").asText()).isEqualTo(ROLE_ARN + "before");
    assertThat(shown.get(0).get("state").asText()).isEqualTo("revoked");
    assertThat(shown.get(0).get("revocable").asBoolean()).isTrue();
    assertThat(shown.get(0).toString()).doesNotContain("secret").doesNotContain("session_token");
  }

  @Test
  void aRoleBusyOnAnotherReplicaHoldsUpOnlyThatRolesRevocations() throws Exception {
    Session held = mint(idp.token("wes"), "readonly-prod-admin");
    Session free = mint(idp.token("xia"), "readonly-spare");
    String heldRequest = requestOf(held.tags().get("stint:grant"));
    String freeRequest = requestOf(free.tags().get("stint:grant"));
    Vertx vertx = Vertx.vertx();
    try (Database other = Database.connect(vertx, db, 1)) {
      Promise<Void> release = Promise.promise();
      Promise<Void> taken = Promise.promise();
      other
          .pool()
          .withTransaction(
              conn ->
                  OutboxWorker.awaitTurn(conn, ROLE_ARN + "prod-admin", Duration.ofSeconds(5))
                      .onSuccess(taken::complete)
                      .compose(x -> release.future()));
      AuditTables.await(taken.future());

      revoke("wes", heldRequest);
      revoke("xia", freeRequest);
      awaitSettled(List.of(freeRequest));
      assertThat(
              api.get(idp.token("wes"), "/v1/requests/" + heldRequest)
                  .body()
                  .at("/revocation/live_credentials")
                  .asText())
          .isEqualTo("until_deny");

      release.complete();
      awaitSettled(List.of(heldRequest));
    } finally {
      AuditTables.await(vertx.close());
    }
    Instant later = Instant.now().plus(Duration.ofMinutes(5));
    assertThat(DenyEvaluator.denies(document("prod-admin"), held, later)).isTrue();
  }

  static void reload(String policy) throws Exception {
    long before = AuditTables.count(db, "type = 'policy.reloaded'");
    Files.writeString(server.policiesDir().resolve("policy.yaml"), policy);
    Eventually.until(
        "the policy to reload",
        Duration.ofSeconds(20),
        () -> AuditTables.count(db, "type = 'policy.reloaded'") > before);
  }
}
