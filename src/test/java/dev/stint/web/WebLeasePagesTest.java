package dev.stint.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stint.config.DatabaseUrl;
import dev.stint.testing.ActivityRows;
import dev.stint.testing.AuditTables;
import dev.stint.testing.FakeIam;
import dev.stint.testing.FakeSts;
import dev.stint.testing.TestIdp;
import dev.stint.testing.TestPostgres;
import dev.stint.testing.TestServer;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Task leases on the web pages, on a real server minting through a fake STS: the request page lists
 * its leases, the lease page shows intent → policy → credential → calls → end with the task escaped
 * and never the lease token, and its Revoke form revokes the lease for its holder only.
 */
class WebLeasePagesTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String TASK = "<b>tidy</b> & \"ship\" the logs";
  static final String POLICY =
      """
      auditors: 'principal.groups.exists(g, g == "security")'
      web: {issuer: corp, client_id: stint-web}
      profiles:
        s3-read:
          aws:
            role_arn: 'arn:aws:iam::111122223333:role/reader'
            mode: assume_role
            session_policy:
              Version: '2012-10-17'
              Statement:
                - Effect: Allow
                  Action: ['s3:GetObject', 's3:ListBucket']
                  Resource: ['arn:aws:s3:::${bucket}', 'arn:aws:s3:::${bucket}/*']
          parameters:
            bucket: {pattern: '[a-z0-9][a-z0-9-]{1,61}[a-z0-9]', description: The bucket to read}
          max_duration: 2h
          requesters: 'true'
          approval: {count: 1, approvers: 'principal.groups.exists(g, g == "sre")'}
          leases: {max_duration: 1h, max_active: 3}
        no-leases:
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
    System.setProperty("aws.accessKeyId", "AKIASTINTWEBLEASE001");
    System.setProperty("aws.secretAccessKey", "stint-web-lease-secret-not-real-000000");
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

  static JsonNode api(String user, String group, String method, String path, ObjectNode body) {
    HttpResponse<String> r =
        server.send(
            HttpRequest.newBuilder(server.uri(path))
                .header("Authorization", "Bearer " + idp.token(user, group))
                .header("Content-Type", "application/json")
                .method(
                    method,
                    HttpRequest.BodyPublishers.ofString(body == null ? "" : body.toString()))
                .build());
    assertThat(r.statusCode()).as(r.body()).isBetween(200, 201);
    try {
      return JSON.readTree(r.body());
    } catch (IOException e) {
      throw new AssertionError(r.body(), e);
    }
  }

  /** An active grant of {@code user} on {@code profile}, approved by bob: its request id. */
  static String grant(String user, String profile, String bucket) {
    ObjectNode asked =
        JSON.createObjectNode()
            .put("profile", profile)
            .put("duration_seconds", 3600)
            .put("reason", "INC-55 the lease pages");
    if (bucket != null) {
      asked.putObject("parameters").put("bucket", bucket);
    }
    String id = api(user, "eng", "POST", "/v1/requests", asked).get("id").asText();
    api("bob", "sre", "POST", "/v1/requests/" + id + "/approve", JSON.createObjectNode());
    return id;
  }

  /** A lease on {@code request} by its holder: the answer, token included. */
  static JsonNode lease(String user, String request) {
    return api(
        user,
        "eng",
        "POST",
        "/v1/requests/" + request + "/leases",
        JSON.createObjectNode().put("task", TASK).put("duration_seconds", 900));
  }

  /** Mints on the lease with its token: the credential id. */
  static String mint(JsonNode lease) {
    HttpResponse<String> r =
        server.send(
            HttpRequest.newBuilder(server.uri("/v1/credentials"))
                .header("Authorization", "Bearer " + lease.get("lease_token").asText())
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        JSON.createObjectNode().put("lease", lease.get("id").asText()).toString()))
                .build());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    try {
      return JSON.readTree(r.body()).get("credential_id").asText();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  static Browser browser(String user, String... groups) {
    Browser b = new Browser(server);
    assertThat(b.signIn(idp, user, groups).statusCode()).isEqualTo(303);
    return b;
  }

  static List<String> strings(String sql) {
    try {
      return AuditTables.strings(db, sql);
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }

  static String escaped(String text) {
    return Html.escape(text);
  }

  @Test
  void theRequestPageListsItsLeasesAndTheLeasePageShowsItsWholeRecord() throws Exception {
    String request = grant("alice", "s3-read", "team-web");
    JsonNode created = lease("alice", request);
    String leaseId = created.get("id").asText();
    String token = created.get("lease_token").asText();
    String credential = mint(created);
    String key =
        strings("SELECT access_key_id FROM credentials WHERE id = '" + credential + "'").get(0);
    AuditTables.execute(
        TestPostgres.asSuperuser(db),
        "UPDATE activity_lookups SET checked_at = now(), settled_at = now() WHERE request_id = '"
            + request
            + "'");
    ActivityRows.calls(db, key, 3, Instant.parse("2026-11-20T11:00:00Z"));
    String sha =
        api("alice", "eng", "GET", "/v1/leases/" + leaseId, null).get("policy_sha256").asText();
    Browser alice = browser("alice", "eng");

    String requestPage = alice.get("/ui/requests/" + request).body();
    HttpResponse<String> leasePage = alice.get("/ui/leases/" + leaseId);

    assertThat(requestPage)
        .contains("<h2 id=\"lse-h\">Task leases</h2>")
        .contains("<a href=\"/ui/leases/" + leaseId + "\">" + leaseId + "</a>")
        .contains(escaped(TASK))
        .doesNotContain(TASK)
        .contains("<td data-label=\"State\">active</td>")
        .contains("lease token")
        .doesNotContain(token);
    assertThat(leasePage.statusCode()).isEqualTo(200);
    assertThat(leasePage.body())
        .contains("<dd class=\"reason\">" + escaped(TASK) + "</dd>")
        .doesNotContain(TASK)
        .contains("alice@example.com")
        .contains("<h2 id=\"pol-h\">Policy</h2>")
        .contains(sha)
        .contains("arn:aws:s3:::team-web")
        .contains(credential)
        .contains(key)
        .contains("<dt>Calls</dt><dd>3</dd>")
        .contains("action=\"/ui/leases/" + leaseId + "/revoke\"")
        .contains("Revoke lease")
        .doesNotContain(token);
  }

  @Test
  void theSectionShowsOnlyWhereLeasesAreAllowedOrMade() {
    String withLeases = grant("carl", "s3-read", "team-c");
    String without = grant("carl", "no-leases", null);
    Browser carl = browser("carl", "eng");

    assertThat(carl.get("/ui/requests/" + withLeases).body())
        .contains("<h2 id=\"lse-h\">Task leases</h2>")
        .contains("No task leases")
        .contains("stint lease create " + withLeases);
    assertThat(carl.get("/ui/requests/" + without).body()).doesNotContain("Task leases");
  }

  @Test
  void anAgentsAskShowsWhoAskedAndItsHolderApprovesItOnThePage() {
    grant("gil", "s3-read", "team-g");
    ObjectNode enroll = JSON.createObjectNode().put("name", "coder");
    enroll.putArray("profiles").add("s3-read");
    String token = api("gil", "eng", "POST", "/v1/agents", enroll).get("agent_token").asText();
    HttpResponse<String> asked =
        server.send(
            HttpRequest.newBuilder(server.uri("/v1/agent/leases"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        JSON.createObjectNode()
                            .put("profile", "s3-read")
                            .put("task", TASK)
                            .put("duration_seconds", 600)
                            .toString()))
                .build());
    assertThat(asked.statusCode()).as(asked.body()).isEqualTo(201);
    String leaseId = asked.body().replaceAll(".*\"lease_id\":\"(lse_[a-z2-7]+)\".*", "$1");
    Browser gil = browser("gil", "eng");
    Browser eve = browser("eve", "eng");

    String page = gil.get("/ui/leases/" + leaseId).body();
    HttpResponse<String> evesVote = eve.submit("/ui/leases/" + leaseId + "/approve", Map.of());

    assertThat(page)
        .contains("asked by agent coder (gil@example.com&#39;s)")
        .contains("Approve lease")
        .contains(escaped(TASK))
        .doesNotContain(token);
    assertThat(evesVote.statusCode()).isEqualTo(404);
    HttpResponse<String> approved = gil.submit("/ui/leases/" + leaseId + "/approve", Map.of());
    assertThat(approved.statusCode()).isEqualTo(303);
    assertThat(api("gil", "eng", "GET", "/v1/leases/" + leaseId, null).get("state").asText())
        .isEqualTo("active");
    assertThat(gil.get("/ui/leases/" + leaseId).body())
        .doesNotContain("Approve lease")
        .contains("Revoke lease");
  }

  @Test
  void theAgentsPageListsOnesOwnAgentsWithWhatTheyAskedAndRevokesOne() {
    grant("ida", "s3-read", "team-i");
    ObjectNode enroll = JSON.createObjectNode().put("name", "helper");
    enroll.putArray("profiles").add("s3-read");
    JsonNode enrolled = api("ida", "eng", "POST", "/v1/agents", enroll);
    String token = enrolled.get("agent_token").asText();
    String agentId = enrolled.get("id").asText();
    HttpResponse<String> asked =
        server.send(
            HttpRequest.newBuilder(server.uri("/v1/agent/leases"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        JSON.createObjectNode()
                            .put("profile", "s3-read")
                            .put("task", TASK)
                            .put("duration_seconds", 600)
                            .toString()))
                .build());
    assertThat(asked.statusCode()).as(asked.body()).isEqualTo(201);
    Browser ida = browser("ida", "eng");
    Browser eve = browser("eve", "eng");

    String page = ida.get("/ui/agents").body();
    HttpResponse<String> evesRevoke = eve.submit("/ui/agents/" + agentId + "/revoke", Map.of());

    assertThat(page)
        .contains("helper")
        .contains(agentId)
        .contains(escaped(TASK))
        .contains("Revoke agent")
        .doesNotContain(token);
    assertThat(eve.get("/ui/agents").body()).doesNotContain(agentId);
    assertThat(evesRevoke.statusCode()).isEqualTo(404);
    HttpResponse<String> revoked = ida.submit("/ui/agents/" + agentId + "/revoke", Map.of());
    assertThat(revoked.statusCode()).isEqualTo(303);
    assertThat(ida.get("/ui/agents").body()).contains("revoked").doesNotContain("Revoke agent");
  }

  @Test
  void theHolderRevokesThroughThePageAndNoOneElseCan() {
    String request = grant("dora", "s3-read", "team-d");
    JsonNode created = lease("dora", request);
    String leaseId = created.get("id").asText();
    Browser dora = browser("dora", "eng");
    Browser eve = browser("eve", "eng");
    Browser auditor = browser("sam", "security");

    HttpResponse<String> evesPage = eve.get("/ui/leases/" + leaseId);
    HttpResponse<String> evesPost =
        eve.submit("/ui/leases/" + leaseId + "/revoke", Map.of("comment", "mine now"));
    String auditorsPage = auditor.get("/ui/leases/" + leaseId).body();
    HttpResponse<String> auditorsPost =
        auditor.submit("/ui/leases/" + leaseId + "/revoke", Map.of());
    HttpResponse<String> forged =
        dora.post("/ui/leases/" + leaseId + "/revoke", Map.of("csrf", "not-the-token"));

    assertThat(evesPage.statusCode()).isEqualTo(404);
    assertThat(evesPost.statusCode()).isEqualTo(404);
    assertThat(auditorsPage).contains(escaped(TASK)).doesNotContain("Revoke lease");
    assertThat(auditorsPost.statusCode()).isEqualTo(403);
    assertThat(forged.statusCode()).isEqualTo(403);
    assertThat(api("dora", "eng", "GET", "/v1/leases/" + leaseId, null).get("state").asText())
        .isEqualTo("active");

    HttpResponse<String> revoked =
        dora.submit("/ui/leases/" + leaseId + "/revoke", Map.of("comment", "task done"));

    assertThat(revoked.statusCode()).isEqualTo(303);
    assertThat(revoked.headers().firstValue("Location")).contains("/ui/leases/" + leaseId);
    assertThat(dora.get("/ui/leases/" + leaseId).body())
        .contains("<dt>State</dt><dd>revoked</dd>")
        .contains("<dt>Ended</dt>")
        .doesNotContain("Revoke lease");
    assertThat(api("dora", "eng", "GET", "/v1/leases/" + leaseId, null).get("state").asText())
        .isEqualTo("revoked");
    assertThat(
            strings(
                "SELECT actor_subject || ' ' || reason FROM audit_events WHERE type ="
                    + " 'lease.revoked' AND details->>'lease_id' = '"
                    + leaseId
                    + "'"))
        .containsExactly("dora task done");
    assertThat(
            strings(
                "SELECT actor_subject FROM audit_events WHERE type = 'lease.refused'"
                    + " AND details->>'lease_id' = '"
                    + leaseId
                    + "' ORDER BY seq"))
        .contains("eve", "sam");
    assertThat(dora.submit("/ui/leases/" + leaseId + "/revoke", Map.of()).statusCode())
        .isEqualTo(409);
  }
}
