package dev.stint.lease;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stint.config.DatabaseUrl;
import dev.stint.testing.AuditTables;
import dev.stint.testing.DenyEvaluator.Session;
import dev.stint.testing.Eventually;
import dev.stint.testing.FakeAwsEndpoint.Call;
import dev.stint.testing.FakeIam;
import dev.stint.testing.FakeSts;
import dev.stint.testing.TestIdp;
import dev.stint.testing.TestPostgres;
import dev.stint.testing.TestServer;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Task leases through the whole flow, on a real server, the AWS SDK, a fake STS that keeps what it
 * receives and a fake IAM that judges its deny as IAM would: a lease is never wider than its grant,
 * its token mints only its lease and only while it lives, revoking it denies its sessions and not
 * the grant's, and revoking the grant ends it.
 */
class LeaseFlowTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String ROLE = "arn:aws:iam::111122223333:role/reader";
  static final String POLICY =
      """
      profiles:
        s3-read:
          aws:
            role_arn: 'arn:aws:iam::111122223333:role/reader'
            mode: assume_role
            session_policy:
              Version: '2012-10-17'
              Statement:
                - Sid: Read
                  Effect: Allow
                  Action: ['s3:GetObject', 's3:ListBucket']
                  Resource: ['arn:aws:s3:::${bucket}', 'arn:aws:s3:::${bucket}/*']
                  Condition: {Bool: {'aws:SecureTransport': 'true'}}
          parameters:
            bucket: {pattern: '[a-z0-9][a-z0-9-]{1,61}[a-z0-9]', description: The bucket to read}
          max_duration: 2h
          requesters: 'true'
          approval: {count: 1, approvers: 'principal.groups.exists(g, g == "sre")'}
          leases: {max_duration: 1h, max_active: 2}
        fixed:
          aws:
            role_arn: 'arn:aws:iam::111122223333:role/reader'
            mode: assume_role
            session_policy:
              Version: '2012-10-17'
              Statement:
                - {Effect: Allow, Action: ['s3:GetObject', 's3:PutObject'], Resource: 'arn:aws:s3:::team-z/*'}
          max_duration: 2h
          requesters: 'true'
          approval: {count: 1, approvers: 'principal.groups.exists(g, g == "sre")'}
          leases: {max_duration: 1h, max_active: 2}
        voted:
          aws: {role_arn: 'arn:aws:iam::111122223333:role/reader', mode: assume_role}
          max_duration: 2h
          requesters: 'true'
          approval: {count: 1, approvers: 'principal.groups.exists(g, g == "sre")'}
          leases: {max_duration: 1h, max_active: 2, approval: required}
        no-leases:
          aws: {role_arn: 'arn:aws:iam::111122223333:role/reader', mode: assume_role}
          max_duration: 1h
          requesters: 'true'
          approval: {count: 1, approvers: 'principal.groups.exists(g, g == "sre")'}
      """;

  static FakeSts sts;
  static FakeIam iam;
  static TestIdp idp;
  static TestIdp ci;
  static DatabaseUrl db;
  static TestServer server;

  @BeforeAll
  static void start() {
    System.setProperty("aws.accessKeyId", "AKIASTINTLEASETEST001");
    System.setProperty("aws.secretAccessKey", "stint-lease-test-secret-not-real-0000000");
    sts = new FakeSts();
    iam = new FakeIam().createRole("reader");
    idp = new TestIdp("corp");
    ci = new TestIdp("ci");
    db = TestPostgres.migratedDatabase();
    server =
        TestServer.start(
            db,
            Map.of(
                "STINT_AWS_STS_ENDPOINT", sts.uri().toString(),
                "STINT_AWS_IAM_ENDPOINT", iam.uri().toString(),
                "STINT_AWS_REGION", "eu-west-1"),
            "issuers:\n"
                + idp.issuerYaml("corp")
                + ci.issuerYaml("ci").replace("}\n", ", use: ci}\n")
                + POLICY);
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    idp.close();
    ci.close();
    sts.close();
    iam.close();
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
  }

  record Answer(int status, JsonNode body) {
    String detail() {
      return body.path("detail").asText();
    }
  }

  static Answer send(String token, String method, String path, String body) {
    HttpResponse<String> r =
        server.send(
            HttpRequest.newBuilder(server.uri(path))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body))
                .build());
    try {
      return new Answer(r.statusCode(), JSON.readTree(r.body().isEmpty() ? "{}" : r.body()));
    } catch (IOException e) {
      throw new AssertionError(r.body(), e);
    }
  }

  static Answer post(String token, String path, ObjectNode body) {
    return send(token, "POST", path, body.toString());
  }

  /** An active grant of {@code user} on s3-read for {@code bucket}: its request id. */
  static String grant(String user, String bucket) {
    ObjectNode asked =
        JSON.createObjectNode()
            .put("profile", "s3-read")
            .put("duration_seconds", 3600)
            .put("reason", "INC-55 let the agent read one bucket");
    asked.putObject("parameters").put("bucket", bucket);
    Answer created = post(idp.token(user, "eng"), "/v1/requests", asked);
    assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
    String id = created.body().get("id").asText();
    Answer approved =
        post(idp.token("bob", "sre"), "/v1/requests/" + id + "/approve", JSON.createObjectNode());
    assertThat(approved.body().get("state").asText()).isEqualTo("active");
    return id;
  }

  static ObjectNode lease(String task, long seconds) {
    return JSON.createObjectNode().put("task", task).put("duration_seconds", seconds);
  }

  static Answer createLease(String user, String request, ObjectNode body) {
    return post(idp.token(user, "eng"), "/v1/requests/" + request + "/leases", body);
  }

  static Answer mintOnLease(String token, String leaseId) {
    return post(token, "/v1/credentials", JSON.createObjectNode().put("lease", leaseId));
  }

  static List<Call> callsFor(String user) {
    return sts.assumeCalls().stream()
        .filter(c -> (user + "@example.com").equals(c.param("RoleSessionName")))
        .toList();
  }

  static long count(String sql) {
    return Long.parseLong(strings(sql).get(0));
  }

  static List<String> strings(String sql) {
    try {
      return AuditTables.strings(db, sql);
    } catch (java.sql.SQLException e) {
      throw new AssertionError(e);
    }
  }

  static void eventually(BooleanSupplier done, String what) throws Exception {
    Eventually.until(what, Duration.ofSeconds(20), done::getAsBoolean);
  }

  static ObjectNode statements(String json) {
    ObjectNode body = lease("list one prefix", 600);
    try {
      body.set("session_policy", JSON.readTree(json));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return body;
  }

  @Test
  void aLeaseTokenMintsItsLeaseAsTheHolderWithTheLeaseInItsTagsAndSourceIdentity() {
    String request = grant("alice", "team-a");

    Answer created = createLease("alice", request, lease("list the team-a bucket", 900));

    assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
    String leaseId = created.body().get("id").asText();
    String token = created.body().get("lease_token").asText();
    assertThat(LeaseTokens.leaseOf(token)).contains(leaseId);
    assertThat(created.body().get("state").asText()).isEqualTo("active");
    assertThat(created.body().get("policy").get(0).get("Resource").toString()).contains("team-a");
    assertThat(count("SELECT count(*) FROM leases WHERE token_sha256 = '" + token + "'")).isZero();

    Answer minted = mintOnLease(token, leaseId);

    assertThat(minted.status()).as(minted.body().toString()).isEqualTo(200);
    Call call = callsFor("alice").get(callsFor("alice").size() - 1);
    assertThat(call.param("SourceIdentity")).endsWith("." + leaseId);
    assertThat(Session.of(call, Instant.now()).tags())
        .containsEntry("stint:grant", minted.body().get("grant_id").asText())
        .containsEntry("stint:lease", leaseId);
    assertThat(
            strings(
                "SELECT lease_id || ' ' || holder_subject FROM credentials WHERE id = '"
                    + minted.body().get("credential_id").asText()
                    + "'"))
        .containsExactly(leaseId + " alice");
    assertThat(
            strings(
                "SELECT actor_subject FROM audit_events WHERE type = 'credential.issued'"
                    + " AND details->>'lease_id' = '"
                    + leaseId
                    + "'"))
        .containsExactly(leaseId);
    assertThat(
            strings(
                "SELECT reason FROM audit_events WHERE type = 'lease.created'"
                    + " AND details->>'lease_id' = '"
                    + leaseId
                    + "'"))
        .containsExactly("list the team-a bucket");
  }

  @Test
  void aLeaseTokenMintsNothingElse() {
    String request = grant("dan", "team-d");
    Answer one = createLease("dan", request, lease("one", 900));
    Answer two = createLease("dan", request, lease("two", 900));
    String token = one.body().get("lease_token").asText();
    int before = sts.assumeCalls().size();

    Answer other = mintOnLease(token, two.body().get("id").asText());
    Answer noLease =
        post(token, "/v1/credentials", JSON.createObjectNode().put("profile", "s3-read"));
    Answer read = send(token, "GET", "/v1/requests/" + request, "");
    Answer leaseAgain =
        post(token, "/v1/requests/" + request + "/leases", lease("a lease of a lease", 60));
    // One character changed, to one it is not: "AA" in place of the last two was the token itself
    // whenever the token happened to end in them.
    char last = token.charAt(token.length() - 1);
    Answer forged =
        mintOnLease(
            token.substring(0, token.length() - 1) + (last == 'A' ? 'B' : 'A'),
            one.body().get("id").asText());

    assertThat(other.status()).isEqualTo(401);
    assertThat(noLease.status()).isEqualTo(401);
    assertThat(read.status()).isEqualTo(401);
    assertThat(leaseAgain.status()).isEqualTo(401);
    assertThat(forged.status()).isEqualTo(401);
    assertThat(sts.assumeCalls()).hasSize(before);
    assertThat(count("SELECT count(*) FROM leases WHERE request_id = '" + request + "'"))
        .isEqualTo(2);
    assertThat(
            count(
                "SELECT count(*) FROM audit_events WHERE type IN ('lease.refused',"
                    + " 'identity.refused') AND actor_issuer = 'urn:stint:lease'"
                    + " AND actor_subject = 'unverified'"))
        .isGreaterThanOrEqualTo(4);
    assertThat(
            count(
                "SELECT count(*) FROM audit_events WHERE actor_issuer = 'urn:stint:lease'"
                    + " AND actor_subject = '"
                    + two.body().get("id").asText()
                    + "'"))
        .as("nobody's refusal is recorded in the name of a lease its token does not match")
        .isZero();
  }

  @Test
  void aLeaseStopsAtItsEnd() throws Exception {
    String request = grant("erin", "team-e");
    Answer created = createLease("erin", request, lease("quick look", 2));
    String token = created.body().get("lease_token").asText();
    String leaseId = created.body().get("id").asText();
    Instant end = Instant.parse(created.body().get("expires_at").asText());

    Answer minted = mintOnLease(token, leaseId);
    assertThat(minted.status()).as(minted.body().toString()).isEqualTo(200);
    assertThat(Instant.parse(minted.body().get("expiration").asText())).isBeforeOrEqualTo(end);
    String sent = callsFor("erin").get(callsFor("erin").size() - 1).param("Policy");
    assertThat(sent).contains(end.toString().replace(".000Z", "Z").substring(0, 19));
    eventually(() -> Instant.now().isAfter(end), "the lease's end");
    Answer late = mintOnLease(token, leaseId);

    assertThat(late.status()).isEqualTo(403);
    assertThat(late.detail()).contains("expired");
    assertThat(
            send(idp.token("erin", "eng"), "GET", "/v1/leases/" + leaseId, "")
                .body()
                .get("state")
                .asText())
        .isEqualTo("expired");
  }

  @Test
  void aLeaseIsNeverWiderThanItsGrant() {
    String request = grant("fay", "team-f");
    String wideAction =
        "[{\"Effect\":\"Allow\",\"Action\":\"s3:PutObject\",\"Resource\":\"arn:aws:s3:::team-f/*\","
            + "\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"true\"}}}]";
    String wideResource =
        "[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::team-*\","
            + "\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"true\"}}}]";
    String droppedCondition =
        "[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::team-f/x/*\"}]";
    ObjectNode otherBucket = lease("another bucket", 600);
    otherBucket.putObject("parameters").put("bucket", "team-g");

    Map<String, Answer> refused =
        Map.of(
            "a new action", createLease("fay", request, statements(wideAction)),
            "a wider resource", createLease("fay", request, statements(wideResource)),
            "a dropped condition", createLease("fay", request, statements(droppedCondition)),
            "other values", createLease("fay", request, otherBucket),
            "a longer duration", createLease("fay", request, lease("all afternoon", 3601)),
            "another person", createLease("gus", request, lease("not mine", 600)));

    refused.forEach(
        (shape, answer) ->
            assertThat(answer.status()).as(shape + ": " + answer.body()).isIn(400, 403, 404));
    assertThat(refused.get("a new action").detail()).contains("not within its grant");
    assertThat(count("SELECT count(*) FROM leases WHERE request_id = '" + request + "'")).isZero();
    assertThat(
            count(
                "SELECT count(*) FROM audit_events WHERE type = 'lease.refused'"
                    + " AND details->>'action' = 'create' AND actor_subject IN ('fay', 'gus')"))
        .isEqualTo(6);

    String narrower =
        "[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::team-f/x/*\","
            + "\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"true\"}}}]";
    Answer proven = createLease("fay", request, statements(narrower));
    assertThat(proven.status()).as(proven.body().toString()).isEqualTo(201);
    Answer minted =
        mintOnLease(proven.body().get("lease_token").asText(), proven.body().get("id").asText());
    assertThat(minted.status()).as(minted.body().toString()).isEqualTo(200);
    String sent = callsFor("fay").get(callsFor("fay").size() - 1).param("Policy");
    assertThat(sent).contains("arn:aws:s3:::team-f/x/*").doesNotContain("s3:ListBucket");
  }

  @Test
  void leasesAreCountedAndRefusedOnProfilesWithoutThemAndOnCiGrants() throws Exception {
    String request = grant("hal", "team-h");
    assertThat(createLease("hal", request, lease("one", 600)).status()).isEqualTo(201);
    assertThat(createLease("hal", request, lease("two", 600)).status()).isEqualTo(201);

    Answer third = createLease("hal", request, lease("three", 600));

    assertThat(third.status()).isEqualTo(409);
    assertThat(third.detail()).contains("allows 2");

    ObjectNode plain =
        JSON.createObjectNode()
            .put("profile", "no-leases")
            .put("duration_seconds", 3600)
            .put("reason", "INC-55");
    String other = post(idp.token("hal", "eng"), "/v1/requests", plain).body().get("id").asText();
    post(idp.token("bob", "sre"), "/v1/requests/" + other + "/approve", JSON.createObjectNode());
    assertThat(createLease("hal", other, lease("x", 60)).status()).isEqualTo(403);

    String ci = grant("ivy", "team-i");
    AuditTables.execute(
        TestPostgres.asSuperuser(db),
        "UPDATE access_requests SET ci_rule = 'deploy' WHERE id = '" + ci + "'");
    Answer onCi = createLease("ivy", ci, lease("x", 60));
    assertThat(onCi.status()).isEqualTo(403);
    assertThat(onCi.detail()).contains("CI");
  }

  @Test
  void revokingALeaseDeniesItsSessionsAndLeavesTheGrants() throws Exception {
    String request = grant("jan", "team-j");
    Answer own = post(idp.token("jan", "eng"), "/v1/credentials", credentials("team-j"));
    assertThat(own.status()).as(own.body().toString()).isEqualTo(200);
    Call grantCall = callsFor("jan").get(callsFor("jan").size() - 1);
    Answer created = createLease("jan", request, lease("agent run", 900));
    String leaseId = created.body().get("id").asText();
    String token = created.body().get("lease_token").asText();
    assertThat(mintOnLease(token, leaseId).status()).isEqualTo(200);
    Call leaseCall = callsFor("jan").get(callsFor("jan").size() - 1);

    Answer byOther =
        post(idp.token("kim", "eng"), "/v1/leases/" + leaseId + "/revoke", JSON.createObjectNode());
    Answer revoked =
        post(
            idp.token("jan", "eng"),
            "/v1/leases/" + leaseId + "/revoke",
            JSON.createObjectNode().put("comment", "the agent went off task"));

    assertThat(byOther.status()).isEqualTo(404);
    assertThat(revoked.status()).as(revoked.body().toString()).isEqualTo(200);
    assertThat(revoked.body().get("state").asText()).isEqualTo("revoked");
    Instant later = Instant.now().plusSeconds(1);
    eventually(
        () -> iam.denies("reader", Session.of(leaseCall, Instant.now().minusSeconds(5)), later),
        "the lease's session denied");
    assertThat(iam.denies("reader", Session.of(grantCall, Instant.now().minusSeconds(5)), later))
        .isFalse();
    assertThat(mintOnLease(token, leaseId).status()).isEqualTo(403);
    assertThat(post(idp.token("jan", "eng"), "/v1/credentials", credentials("team-j")).status())
        .isEqualTo(200);
    // A session of the lease whose row committed after the revoke marked the lease's rows is
    // marked by the next delivery, after the commit.
    AuditTables.execute(
        TestPostgres.asSuperuser(db),
        "UPDATE credentials SET state = 'live' WHERE lease_id = '" + leaseId + "'");
    String other = createLease("jan", request, lease("second run", 900)).body().get("id").asText();
    post(idp.token("jan", "eng"), "/v1/leases/" + other + "/revoke", JSON.createObjectNode());
    eventually(
        () ->
            strings("SELECT state FROM credentials WHERE lease_id = '" + leaseId + "'")
                .equals(List.of("revoked")),
        "the late row marked revoked");
    assertThat(
            strings(
                "SELECT reason FROM audit_events WHERE type = 'lease.revoked'"
                    + " AND details->>'lease_id' = '"
                    + leaseId
                    + "'"))
        .containsExactly("the agent went off task");
  }

  @Test
  void revokingTheGrantEndsItsLeases() throws Exception {
    String request = grant("lou", "team-l");
    Answer created = createLease("lou", request, lease("agent run", 900));
    String leaseId = created.body().get("id").asText();
    String token = created.body().get("lease_token").asText();
    assertThat(mintOnLease(token, leaseId).status()).isEqualTo(200);
    Call leaseCall = callsFor("lou").get(callsFor("lou").size() - 1);

    Answer revoked =
        post(
            idp.token("lou", "eng"),
            "/v1/requests/" + request + "/revoke",
            JSON.createObjectNode());

    assertThat(revoked.status()).as(revoked.body().toString()).isEqualTo(200);
    eventually(
        () ->
            "ended"
                .equals(
                    send(idp.token("lou", "eng"), "GET", "/v1/leases/" + leaseId, "")
                        .body()
                        .path("state")
                        .asText()),
        "the lease ended");
    Instant later = Instant.now().plusSeconds(1);
    eventually(
        () -> iam.denies("reader", Session.of(leaseCall, Instant.now().minusSeconds(5)), later),
        "the lease's session denied with its grant");
    assertThat(mintOnLease(token, leaseId).status()).isEqualTo(403);
    assertThat(
            count(
                "SELECT count(*) FROM audit_events WHERE type = 'lease.ended'"
                    + " AND details->>'lease_id' = '"
                    + leaseId
                    + "'"))
        .isEqualTo(1);
  }

  @Test
  void aLeaseThatNamesAnAgentIsMintedByThatAgentsOwnTokenOnly() {
    String request = grant("max", "team-m");
    ObjectNode asked = lease("nightly report job", 900);
    asked.putObject("agent").put("issuer", ci.issuer()).put("subject", "repo:org/app");
    ObjectNode unknown = lease("x", 60);
    unknown.putObject("agent").put("issuer", "https://elsewhere.example").put("subject", "a");

    Answer created = createLease("max", request, asked);
    String leaseId = created.body().get("id").asText();

    assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
    assertThat(created.body().has("lease_token")).isFalse();
    assertThat(created.body().get("agent").get("subject").asText()).isEqualTo("repo:org/app");
    assertThat(createLease("max", request, unknown).status()).isEqualTo(400);
    Answer minted = mintOnLease(ci.token("repo:org/app"), leaseId);
    assertThat(minted.status()).as(minted.body().toString()).isEqualTo(200);
    assertThat(mintOnLease(ci.token("repo:org/other"), leaseId).status()).isEqualTo(403);
    assertThat(mintOnLease(idp.token("max", "eng"), leaseId).status()).isEqualTo(403);
    assertThat(
            post(
                    ci.token("repo:org/app"),
                    "/v1/credentials",
                    JSON.createObjectNode().put("profile", "s3-read"))
                .status())
        .isEqualTo(403);
    assertThat(
            strings(
                "SELECT actor_issuer || ' ' || actor_subject FROM audit_events"
                    + " WHERE type = 'credential.issued' AND details->>'lease_id' = '"
                    + leaseId
                    + "'"))
        .containsExactly(ci.issuer() + " repo:org/app");
  }

  @Test
  void aLeaseWhoseProfileAsksAVoteMintsOnlyOnceAnApproverApproves() {
    ObjectNode plain =
        JSON.createObjectNode()
            .put("profile", "voted")
            .put("duration_seconds", 3600)
            .put("reason", "INC-55");
    String request = post(idp.token("ned", "eng"), "/v1/requests", plain).body().get("id").asText();
    post(idp.token("bob", "sre"), "/v1/requests/" + request + "/approve", JSON.createObjectNode());

    Answer created = createLease("ned", request, lease("agent run", 900));
    String leaseId = created.body().get("id").asText();
    String token = created.body().get("lease_token").asText();

    assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
    assertThat(created.body().get("state").asText()).isEqualTo("pending");
    assertThat(mintOnLease(token, leaseId).status()).isEqualTo(403);
    Answer own =
        post(
            idp.token("ned", "sre"), "/v1/leases/" + leaseId + "/approve", JSON.createObjectNode());
    Answer notApprover =
        post(idp.token("oz", "eng"), "/v1/leases/" + leaseId + "/approve", JSON.createObjectNode());
    assertThat(own.status()).isEqualTo(403);
    assertThat(notApprover.status()).isIn(403, 404);
    assertThat(mintOnLease(token, leaseId).status()).isEqualTo(403);

    Answer approved =
        post(
            idp.token("bob", "sre"), "/v1/leases/" + leaseId + "/approve", JSON.createObjectNode());

    assertThat(approved.status()).as(approved.body().toString()).isEqualTo(200);
    assertThat(approved.body().get("state").asText()).isEqualTo("active");
    assertThat(approved.body().get("approved_by").get("subject").asText()).isEqualTo("bob");
    assertThat(mintOnLease(token, leaseId).status()).isEqualTo(200);
    assertThat(
            post(
                    idp.token("bob", "sre"),
                    "/v1/leases/" + leaseId + "/deny",
                    JSON.createObjectNode())
                .status())
        .isEqualTo(409);

    ObjectNode forBob = lease("run as bob", 900);
    forBob.putObject("agent").put("issuer", idp.issuer()).put("subject", "bob");
    String bobsLease = createLease("ned", request, forBob).body().get("id").asText();
    Answer bobVotes =
        post(
            idp.token("bob", "sre"),
            "/v1/leases/" + bobsLease + "/approve",
            JSON.createObjectNode());
    assertThat(bobVotes.status()).isEqualTo(403);
    assertThat(bobVotes.detail()).contains("names you as its agent");
    post(idp.token("ned", "eng"), "/v1/leases/" + bobsLease + "/revoke", JSON.createObjectNode());

    Answer second = createLease("ned", request, lease("another run", 900));
    Answer denied =
        post(
            idp.token("bob", "sre"),
            "/v1/leases/" + second.body().get("id").asText() + "/deny",
            JSON.createObjectNode().put("comment", "not this one"));
    assertThat(denied.body().get("state").asText()).isEqualTo("denied");
    assertThat(
            mintOnLease(second.body().get("lease_token").asText(), second.body().get("id").asText())
                .status())
        .isEqualTo(403);
    assertThat(
            count(
                "SELECT count(*) FROM audit_events WHERE type IN ('lease.approved', 'lease.denied')"
                    + " AND actor_subject = 'bob'"))
        .isEqualTo(2);
  }

  @Test
  void aLeasesOwnStatementsMintNothingOnceItsProfileIsNarrowedPastThem() throws Exception {
    ObjectNode plain =
        JSON.createObjectNode()
            .put("profile", "fixed")
            .put("duration_seconds", 3600)
            .put("reason", "INC-55");
    String request = post(idp.token("pat", "eng"), "/v1/requests", plain).body().get("id").asText();
    post(idp.token("bob", "sre"), "/v1/requests/" + request + "/approve", JSON.createObjectNode());
    Answer created =
        createLease(
            "pat",
            request,
            statements(
                "[{\"Effect\":\"Allow\",\"Action\":\"s3:PutObject\","
                    + "\"Resource\":\"arn:aws:s3:::team-z/in/*\"}]"));
    String leaseId = created.body().get("id").asText();
    String token = created.body().get("lease_token").asText();
    assertThat(mintOnLease(token, leaseId).status()).isEqualTo(200);

    String original = Files.readString(server.policiesDir().resolve("policy.yaml"));
    try {
      reload(
          original.replace("Action: ['s3:GetObject', 's3:PutObject']", "Action: 's3:GetObject'"));

      Answer late = mintOnLease(token, leaseId);

      assertThat(late.status()).isEqualTo(409);
      assertThat(late.detail()).contains("changed since lease " + leaseId);
    } finally {
      reload(original);
    }
    assertThat(mintOnLease(token, leaseId).status()).isEqualTo(200);
  }

  static void reload(String policy) throws Exception {
    long before = count("SELECT count(*) FROM audit_events WHERE type = 'policy.reloaded'");
    Files.writeString(server.policiesDir().resolve("policy.yaml"), policy);
    eventually(
        () -> count("SELECT count(*) FROM audit_events WHERE type = 'policy.reloaded'") > before,
        "the policy reloaded");
  }

  static ObjectNode credentials(String bucket) {
    ObjectNode body = JSON.createObjectNode().put("profile", "s3-read");
    body.putObject("parameters").put("bucket", bucket);
    return body;
  }
}
