package dev.stint.issuance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stint.common.Fingerprints;
import dev.stint.config.DatabaseUrl;
import dev.stint.testing.AuditTables;
import dev.stint.testing.FakeAwsEndpoint.Call;
import dev.stint.testing.FakeIam;
import dev.stint.testing.FakeSts;
import dev.stint.testing.ParameterInjections;
import dev.stint.testing.TestIdp;
import dev.stint.testing.TestPostgres;
import dev.stint.testing.TestServer;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A narrowed profile through the whole flow, on a real server, the AWS SDK and a fake STS that
 * keeps what it receives: the values a request names and the policy they fill are what its approver
 * sees, what the grant serves, what STS is sent and what the record keeps; what no value may hold
 * is refused with 400 before any request is filed or anything reaches STS.
 */
class NarrowedCredentialsTest {
  static final ObjectMapper JSON = new ObjectMapper();
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
                - {Effect: Allow, Action: ['s3:GetObject', 's3:ListBucket'], Resource: ['arn:aws:s3:::${bucket}', 'arn:aws:s3:::${bucket}/*']}
          parameters:
            bucket: {pattern: '[a-z0-9][a-z0-9-]{1,61}[a-z0-9]', description: The bucket to read}
          max_duration: 1h
          requesters: 'true'
          approval: {count: 1, approvers: 'principal.groups.exists(g, g == "sre")'}
        team-logs:
          aws:
            role_arn: 'arn:aws:iam::111122223333:role/reader'
            mode: assume_role
            session_policy:
              Version: '2012-10-17'
              Statement:
                - {Effect: Allow, Action: 's3:GetObject', Resource: 'arn:aws:s3:::${bucket}/*'}
          parameters:
            bucket:
              pattern: '[a-z0-9][a-z0-9-]{1,61}[a-z0-9]'
              description: One of your teams' log buckets
              values: 'principal.groups.map(g, g + "-logs")'
          max_duration: 1h
          requesters: 'true'
          approval: {count: 1, approvers: 'principal.groups.exists(g, g == "sre")'}
        whole:
          aws: {role_arn: 'arn:aws:iam::111122223333:role/reader', mode: assume_role}
          max_duration: 1h
          requesters: 'true'
          approval: {count: 1, approvers: 'principal.groups.exists(g, g == "sre")'}
      """;

  static FakeSts sts;
  static FakeIam iam;
  static TestIdp idp;
  static DatabaseUrl db;
  static TestServer server;

  @BeforeAll
  static void start() {
    System.setProperty("aws.accessKeyId", "AKIASTINTNARROWTEST01");
    System.setProperty("aws.secretAccessKey", "stint-narrowed-test-secret-not-real-00000");
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

  static Answer send(String token, String method, String path, String body) {
    HttpResponse<String> r =
        server.send(
            HttpRequest.newBuilder(server.uri(path))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body))
                .build());
    try {
      return new Answer(r.statusCode(), JSON.readTree(r.body()));
    } catch (IOException e) {
      throw new AssertionError(r.body(), e);
    }
  }

  static Answer post(String token, String path, ObjectNode body) {
    return send(token, "POST", path, body.toString());
  }

  static ObjectNode request(String profile, String bucket) {
    ObjectNode body =
        JSON.createObjectNode()
            .put("profile", profile)
            .put("duration_seconds", 1800)
            .put("reason", "INC-54 read one bucket");
    body.putObject("parameters").put("bucket", bucket);
    return body;
  }

  static ObjectNode credentials(String profile, String bucket) {
    ObjectNode body = JSON.createObjectNode().put("profile", profile);
    body.putObject("parameters").put("bucket", bucket);
    return body;
  }

  /** The assume calls STS received for {@code user}'s sessions. */
  static List<Call> callsFor(String user) {
    return sts.assumeCalls().stream()
        .filter(c -> (user + "@example.com").equals(c.param("RoleSessionName")))
        .toList();
  }

  static String approvedGrant(String user, String bucket) {
    Answer created = post(idp.token(user, "eng"), "/v1/requests", request("s3-read", bucket));
    assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
    String id = created.body().get("id").asText();
    Answer approved =
        post(idp.token("bob", "sre"), "/v1/requests/" + id + "/approve", JSON.createObjectNode());
    assertThat(approved.body().get("state").asText()).isEqualTo("active");
    return id;
  }

  @Test
  void theApproverSeesTheValuesAndTheRenderedPolicyBeforeVoting() {
    Answer created = post(idp.token("alice", "eng"), "/v1/requests", request("s3-read", "team-a"));

    assertThat(created.status()).isEqualTo(201);
    Answer seen =
        send(
            idp.token("bob", "sre"),
            "GET",
            "/v1/requests/" + created.body().get("id").asText(),
            "");
    assertThat(seen.body().get("state").asText()).isEqualTo("pending");
    assertThat(seen.body().get("parameters"))
        .isEqualTo(JSON.createObjectNode().put("bucket", "team-a"));
    JsonNode policy = seen.body().get("narrowed_policy");
    assertThat(policy.get(0).get("Resource"))
        .containsExactly(
            JSON.getNodeFactory().textNode("arn:aws:s3:::team-a"),
            JSON.getNodeFactory().textNode("arn:aws:s3:::team-a/*"));
    assertThat(seen.body().get("narrowed_policy_sha256").asText())
        .isEqualTo(sha256(policy.toString()));
  }

  @Test
  void theSessionPolicyStsReceivesNamesExactlyTheRequestedBucketAsAJsonString() throws Exception {
    String id = approvedGrant("carol", "team-b");

    Answer minted =
        post(idp.token("carol", "eng"), "/v1/credentials", credentials("s3-read", "team-b"));

    assertThat(minted.status()).as(minted.body().toString()).isEqualTo(200);
    List<Call> calls = callsFor("carol");
    assertThat(calls).hasSize(1);
    JsonNode sent = JSON.readTree(calls.get(0).param("Policy"));
    List<String> resources =
        sent.findValues("Resource").stream()
            .flatMap(r -> r.isArray() ? toList(r).stream() : List.of(r).stream())
            .filter(JsonNode::isTextual)
            .map(JsonNode::asText)
            .toList();
    assertThat(resources).contains("arn:aws:s3:::team-b", "arn:aws:s3:::team-b/*");
    assertThat(resources)
        .noneMatch(r -> r.startsWith("arn:aws:s3:::") && !r.startsWith("arn:aws:s3:::team-b"));
    String hash =
        AuditTables.strings(
                db, "SELECT narrowed_policy FROM access_requests WHERE id = '" + id + "'")
            .stream()
            .map(NarrowedCredentialsTest::sha256)
            .findFirst()
            .orElseThrow();
    assertThat(
            AuditTables.strings(
                db,
                "SELECT parameters::text || ' ' || narrowed_policy_sha256 FROM credentials"
                    + " WHERE holder_subject = 'carol'"))
        .containsExactly("{\"bucket\": \"team-b\"} " + hash);
    assertThat(
            AuditTables.strings(
                db,
                "SELECT details->'parameters'->>'bucket' || ' ' || (details->>'narrowed_policy_sha256')"
                    + " FROM audit_events WHERE type = 'credential.issued' AND actor_subject = 'carol'"))
        .containsExactly("team-b " + hash);
    JsonNode listed =
        send(idp.token("carol", "eng"), "GET", "/v1/requests/" + id + "/credentials", "")
            .body()
            .get("credentials")
            .get(0);
    assertThat(listed.get("parameters")).isEqualTo(JSON.createObjectNode().put("bucket", "team-b"));
    assertThat(listed.get("narrowed_policy_sha256").asText()).isEqualTo(hash);
  }

  @Test
  void theProfileListingNamesEachParameterAndTheValuesThisPersonMayChoose() {
    JsonNode profiles =
        send(idp.token("hal", "payments", "risk"), "GET", "/v1/profiles", "").body();

    JsonNode team = null;
    JsonNode whole = null;
    for (JsonNode p : profiles.get("profiles")) {
      if (p.get("name").asText().equals("team-logs")) {
        team = p;
      } else if (p.get("name").asText().equals("whole")) {
        whole = p;
      }
    }
    JsonNode bucket = team.get("parameters").get(0);
    assertThat(bucket.get("name").asText()).isEqualTo("bucket");
    assertThat(bucket.get("description").asText()).isEqualTo("One of your teams' log buckets");
    assertThat(bucket.get("pattern").asText()).isEqualTo("[a-z0-9][a-z0-9-]{1,61}[a-z0-9]");
    assertThat(bucket.get("values"))
        .containsExactly(
            JSON.getNodeFactory().textNode("payments-logs"),
            JSON.getNodeFactory().textNode("risk-logs"));
    assertThat(whole.get("parameters")).isEmpty();
  }

  @Test
  void aGrantServesOnlyTheValuesItWasApprovedWith() throws Exception {
    approvedGrant("dana", "team-c");

    Answer other =
        post(idp.token("dana", "eng"), "/v1/credentials", credentials("s3-read", "team-d"));
    Answer none =
        post(
            idp.token("dana", "eng"),
            "/v1/credentials",
            JSON.createObjectNode().put("profile", "s3-read"));

    assertThat(other.status()).isEqualTo(403);
    assertThat(other.body().get("code").asText()).isEqualTo("approval_required");
    assertThat(none.status()).isEqualTo(400);
    assertThat(none.body().get("detail").asText()).contains("bucket: no value given");
    assertThat(callsFor("dana")).isEmpty();
  }

  static List<String> injections() {
    return ParameterInjections.shapes();
  }

  @ParameterizedTest
  @MethodSource("injections")
  void eachInjectionShapeIsRefusedWith400AndNothingIsFiledOrSentToSts(String value)
      throws Exception {
    String token = idp.token("eve", "eng");
    long before = AuditTables.count(db, "type = 'request.created'");

    Answer filed = post(token, "/v1/requests", request("s3-read", value));
    Answer minted = post(token, "/v1/credentials", credentials("s3-read", value));

    assertThat(filed.status()).as(filed.body().toString()).isEqualTo(400);
    assertThat(minted.status()).as(minted.body().toString()).isEqualTo(400);
    assertThat(filed.body().get("detail").asText())
        .startsWith("parameters of profile 's3-read': bucket:");
    assertThat(filed.body().toString()).doesNotContain("aaaaaaaaaa");
    assertThat(AuditTables.count(db, "type = 'request.created'")).isEqualTo(before);
    assertThat(callsFor("eve")).isEmpty();
  }

  @Test
  void aValueOutsideThePersonsChoicesIsRefusedOnTheRecord() throws Exception {
    Answer mine =
        post(idp.token("fay", "payments"), "/v1/requests", request("team-logs", "payments-logs"));
    Answer theirs =
        post(idp.token("fay", "payments"), "/v1/requests", request("team-logs", "security-logs"));

    assertThat(mine.status()).isEqualTo(201);
    assertThat(theirs.status()).isEqualTo(403);
    assertThat(theirs.body().get("detail").asText())
        .isEqualTo("you may give parameter bucket only one of payments-logs");
    assertThat(AuditTables.count(db, "type = 'request.refused' AND actor_subject = 'fay'"))
        .isEqualTo(1);
  }

  @Test
  void valuesAProfileDoesNotTakeAreRefused() {
    String token = idp.token("gus", "eng");
    ObjectNode unknown = request("s3-read", "team-e");
    ((ObjectNode) unknown.get("parameters")).put("prefix", "logs");
    ObjectNode bundled = request("s3-read", "team-e");
    bundled.remove("profile");
    bundled.putArray("profiles").add("s3-read").add("whole");

    assertThat(
            post(token, "/v1/requests", request("whole", "team-e")).body().get("detail").asText())
        .contains("profile 'whole' takes no parameters");
    assertThat(post(token, "/v1/requests", unknown).body().get("detail").asText())
        .contains("'prefix' is not a parameter of this profile");
    ObjectNode most = request("s3-read", "team-e");
    ObjectNode tooMany = request("s3-read", "team-e");
    for (int i = 1; i < 32; i++) {
      ((ObjectNode) most.get("parameters")).put("p" + i, "x");
    }
    for (int i = 1; i <= 32; i++) {
      ((ObjectNode) tooMany.get("parameters")).put("p" + i, "x");
    }
    ObjectNode number = request("s3-read", "team-e");
    ((ObjectNode) number.get("parameters")).put("bucket", 7);
    ObjectNode badName = request("s3-read", "team-e");
    ((ObjectNode) badName.get("parameters")).put("Bucket", "team-e");

    assertThat(post(token, "/v1/requests", most).body().get("detail").asText())
        .contains("'p1' is not a parameter of this profile");
    assertThat(post(token, "/v1/requests", tooMany).body().get("detail").asText())
        .isEqualTo("'parameters' must be an object of at most 32 names and values");
    assertThat(post(token, "/v1/requests", number).body().get("detail").asText())
        .isEqualTo("'parameters.bucket' must be a string");
    assertThat(post(token, "/v1/requests", badName).body().get("detail").asText())
        .startsWith("'parameters' names a parameter no profile can have");
    Answer bundle = post(token, "/v1/requests", bundled);
    assertThat(bundle.status()).isEqualTo(400);
    assertThat(bundle.body().get("detail").asText()).contains("a bundle's are fixed by its policy");
    assertThat(callsFor("gus")).isEmpty();
  }

  private static List<JsonNode> toList(JsonNode array) {
    java.util.ArrayList<JsonNode> out = new java.util.ArrayList<>();
    array.forEach(out::add);
    return out;
  }

  private static String sha256(String text) {
    return Fingerprints.sha256Hex(text.getBytes(StandardCharsets.UTF_8));
  }
}
