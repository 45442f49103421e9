package dev.stint.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stint.config.DatabaseUrl;
import dev.stint.testing.AuditTables;
import dev.stint.testing.Eventually;
import dev.stint.testing.FakeIam;
import dev.stint.testing.FakeSts;
import dev.stint.testing.TestIdp;
import dev.stint.testing.TestPostgres;
import dev.stint.testing.TestServer;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * A real server for the agents' tests, on the AWS SDK, a fake STS that keeps what it receives and a
 * fake IAM that judges its deny as IAM would: {@code s3-read} leases without a vote (so an agent's
 * ask waiting for its holder is the agent's rule, not the profile's), {@code other} leases too, and
 * {@code no-leases} does not.
 */
final class AgentServer implements AutoCloseable {
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
                - Sid: Read
                  Effect: Allow
                  Action: ['s3:GetObject', 's3:ListBucket']
                  Resource: ['arn:aws:s3:::${bucket}', 'arn:aws:s3:::${bucket}/*']
          parameters:
            bucket: {pattern: '[a-z0-9][a-z0-9-]{1,61}[a-z0-9]', description: The bucket to read}
          max_duration: 2h
          requesters: 'true'
          approval: {count: 1, approvers: 'principal.groups.exists(g, g == "sre")'}
          leases: {max_duration: 1h, max_active: 5}
        other:
          aws: {role_arn: 'arn:aws:iam::111122223333:role/reader', mode: assume_role}
          max_duration: 2h
          requesters: 'true'
          approval: {count: 1, approvers: 'principal.groups.exists(g, g == "sre")'}
          leases: {max_duration: 1h, max_active: 2}
        guarded:
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

  final FakeSts sts;
  final FakeIam iam;
  final TestIdp idp;
  final DatabaseUrl db;
  final TestServer server;

  AgentServer() {
    System.setProperty("aws.accessKeyId", "AKIASTINTAGENTTEST001");
    System.setProperty("aws.secretAccessKey", "stint-agent-test-secret-not-real-000000");
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

  @Override
  public void close() throws Exception {
    server.close();
    idp.close();
    sts.close();
    iam.close();
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
  }

  record Answer(int status, JsonNode body, HttpResponse<String> raw) {
    String detail() {
      return body.path("detail").asText();
    }

    String text(String field) {
      return body.path(field).asText();
    }
  }

  Answer send(String token, String method, String path, String body) {
    HttpResponse<String> r =
        server.send(
            HttpRequest.newBuilder(server.uri(path))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body))
                .build());
    try {
      return new Answer(r.statusCode(), JSON.readTree(r.body().isEmpty() ? "{}" : r.body()), r);
    } catch (IOException e) {
      throw new AssertionError(r.body(), e);
    }
  }

  Answer post(String token, String path, ObjectNode body) {
    return send(token, "POST", path, body.toString());
  }

  String person(String user) {
    return idp.token(user, "eng");
  }

  /** An active grant of {@code user} on s3-read for {@code bucket}: its request id. */
  String grant(String user, String profile, String bucket) {
    ObjectNode asked =
        JSON.createObjectNode()
            .put("profile", profile)
            .put("duration_seconds", 3600)
            .put("reason", "INC-71 let my agent read one bucket");
    if (bucket != null) {
      asked.putObject("parameters").put("bucket", bucket);
    }
    Answer created = post(person(user), "/v1/requests", asked);
    assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
    String id = created.text("id");
    Answer approved =
        post(idp.token("sam", "sre"), "/v1/requests/" + id + "/approve", JSON.createObjectNode());
    assertThat(approved.text("state")).isEqualTo("active");
    return id;
  }

  /** Enrolls {@code name} for {@code user}: the answer, with its token. */
  Answer enroll(String user, String name, List<String> profiles, Long expiresIn) {
    ObjectNode body = JSON.createObjectNode().put("name", name);
    profiles.forEach(body.putArray("profiles")::add);
    if (expiresIn != null) {
      body.put("expires_in", expiresIn);
    }
    return post(person(user), "/v1/agents", body);
  }

  static ObjectNode ask(String profile, String task, long seconds) {
    return JSON.createObjectNode()
        .put("profile", profile)
        .put("task", task)
        .put("duration_seconds", seconds);
  }

  long count(String sql) {
    return Long.parseLong(strings(sql).get(0));
  }

  List<String> strings(String sql) {
    try {
      return AuditTables.strings(db, sql);
    } catch (java.sql.SQLException e) {
      throw new AssertionError(e);
    }
  }

  static void eventually(BooleanSupplier done, String what) throws Exception {
    Eventually.until(what, Duration.ofSeconds(20), done::getAsBoolean);
  }
}
