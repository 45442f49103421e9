package dev.stint.finding;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stint.config.DatabaseUrl;
import dev.stint.finding.rules.FindingFixtures;
import dev.stint.testing.AuditTables;
import dev.stint.testing.DenyEvaluator.Session;
import dev.stint.testing.FakeAwsEndpoint.Call;
import dev.stint.testing.FakeIam;
import dev.stint.testing.FakeSts;
import dev.stint.testing.TestIdp;
import dev.stint.testing.TestPostgres;
import dev.stint.testing.TestServer;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * A real server with findings on, for {@link FindingsFlowTest} and the pages' and notices' tests:
 * the AWS SDK against a fake STS that keeps the sessions it issues and a fake IAM that judges a
 * role's deny as IAM would, the CloudTrail ingest on, the web pages on the test IdP, and a policy
 * whose {@code prod} profile ends what makes an {@code escape} call ({@code action: end}), {@code
 * watch} tells of it ({@code notify}, the default), and {@code trial} only tries its rules ({@code
 * dry_run}).
 */
public final class FindingsServer implements AutoCloseable {
  public static final ObjectMapper JSON = new ObjectMapper();
  static final String TOKEN = "findings-flow-ingest-token-0123456789abcdef";
  static final String ACCOUNT = "111122223333";
  static final String POLICY =
      """
      auditors: 'principal.groups.exists(g, g == "audit")'
      web: {issuer: corp, client_id: stint-web}
      findings: {rules: {new_network: {mode: 'off'}}}
      profiles:
        prod:
          aws: {role_arn: 'arn:aws:iam::111122223333:role/prod', mode: assume_role}
          max_duration: 2h
          requesters: 'true'
          approval: {count: 1, approvers: 'principal.groups.exists(g, g == "sre")'}
          leases: {max_duration: 1h, max_active: 2}
          findings: {rules: {escape: {action: end}}}
        watch:
          aws: {role_arn: 'arn:aws:iam::111122223333:role/prod', mode: assume_role}
          max_duration: 2h
          requesters: 'true'
          approval: {count: 1, approvers: 'principal.groups.exists(g, g == "sre")'}
          leases: {max_duration: 1h, max_active: 2}
        trial:
          aws: {role_arn: 'arn:aws:iam::111122223333:role/prod', mode: assume_role}
          max_duration: 2h
          requesters: 'true'
          approval: {count: 1, approvers: 'principal.groups.exists(g, g == "sre")'}
          leases: {max_duration: 1h, max_active: 2}
          findings: {mode: dry_run, rules: {escape: {action: end}}}
      """;

  final FakeSts sts = new FakeSts();
  public final FakeIam iam = new FakeIam().createRole("prod");
  public final TestIdp idp = new TestIdp("corp");
  public final DatabaseUrl db = TestPostgres.migratedDatabase();
  public final TestServer server;

  /** An answer's status and body. */
  public record Answer(int status, JsonNode body) {}

  /** A session stint handed out: its key, and the STS call that made it (for IAM's deny). */
  public record Minted(String accessKeyId, Call call) {
    public Session session() {
      return Session.of(call, Instant.now().minusSeconds(5));
    }
  }

  public FindingsServer() {
    this(Map.of());
  }

  /** With {@code extraEnv} besides the AWS stand-ins and the ingest (Slack, Teams, a clock…). */
  public FindingsServer(Map<String, String> extraEnv) {
    System.setProperty("aws.accessKeyId", "AKIASTINTFINDINGS001");
    System.setProperty("aws.secretAccessKey", "stint-findings-test-secret-not-real-00000");
    server = TestServer.start(db, env(extraEnv), "issuers:\n" + idp.issuerYaml("corp") + POLICY);
  }

  private Map<String, String> env(Map<String, String> extraEnv) {
    Map<String, String> env = new HashMap<>(extraEnv);
    env.put("STINT_AWS_STS_ENDPOINT", sts.uri().toString());
    env.put("STINT_AWS_IAM_ENDPOINT", iam.uri().toString());
    env.put("STINT_AWS_REGION", "eu-west-1");
    env.put("STINT_ACTIVITY_INGEST_TOKEN", TOKEN);
    return env;
  }

  public Answer send(String token, String method, String path, String body) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(server.uri(path))
            .header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> r = server.send(b.build());
    try {
      return new Answer(r.statusCode(), JSON.readTree(r.body().isEmpty() ? "{}" : r.body()));
    } catch (IOException e) {
      throw new AssertionError(r.body(), e);
    }
  }

  public Answer get(String user, String group, String path) {
    return send(idp.token(user, group), "GET", path, "");
  }

  public Answer post(String user, String group, String path, ObjectNode body) {
    return send(idp.token(user, group), "POST", path, body.toString());
  }

  /** {@code user}'s approved request for {@code profile}: its id. */
  public String grant(String user, String profile) {
    ObjectNode asked =
        JSON.createObjectNode()
            .put("profile", profile)
            .put("duration_seconds", 3600)
            .put("reason", "INC-69 look into the incident");
    Answer created = post(user, "eng", "/v1/requests", asked);
    assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
    String id = created.body().get("id").asText();
    Answer approved =
        post("bob", "sre", "/v1/requests/" + id + "/approve", JSON.createObjectNode());
    assertThat(approved.body().get("state").asText()).isEqualTo("active");
    return id;
  }

  /** A session of {@code user}'s grant of {@code profile}. */
  public Minted mint(String user, String profile) {
    Answer minted =
        post(user, "eng", "/v1/credentials", JSON.createObjectNode().put("profile", profile));
    assertThat(minted.status()).as(minted.body().toString()).isEqualTo(200);
    return minted(minted, user);
  }

  /** A lease of {@code request} and a session minted on it: the lease's id and the session. */
  public Map.Entry<String, Minted> lease(String user, String request) {
    Answer created =
        post(
            user,
            "eng",
            "/v1/requests/" + request + "/leases",
            JSON.createObjectNode()
                .put("task", "triage with an agent")
                .put("duration_seconds", 900));
    assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
    String id = created.body().get("id").asText();
    Answer minted =
        send(
            created.body().get("lease_token").asText(),
            "POST",
            "/v1/credentials",
            JSON.createObjectNode().put("lease", id).toString());
    assertThat(minted.status()).as(minted.body().toString()).isEqualTo(200);
    return Map.entry(id, minted(minted, user));
  }

  private Minted minted(Answer minted, String user) {
    List<Call> calls =
        sts.assumeCalls().stream()
            .filter(c -> (user + "@example.com").equals(c.param("RoleSessionName")))
            .toList();
    return new Minted(minted.body().get("access_key_id").asText(), calls.get(calls.size() - 1));
  }

  /** Posts {@code body} to the ingest with its token: the status. */
  public int pushBody(String body) {
    return server
        .send(
            HttpRequest.newBuilder(server.uri("/v1/ingest/cloudtrail"))
                .header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build())
        .statusCode();
  }

  /**
   * Pushes fixture {@code rule}'s first firing case as made by {@code key} now, in the session's
   * source identity as CloudTrail records it (the one the ledger holds for the key): its status.
   */
  public int push(String rule, String key) {
    ObjectNode record = (ObjectNode) FindingFixtures.of(rule).fires().get(0).record().deepCopy();
    ((ObjectNode) record.path("userIdentity")).put("accessKeyId", key);
    sourceIdentity(key)
        .ifPresent(
            identity ->
                ((ObjectNode) record.path("userIdentity").path("sessionContext"))
                    .put("sourceIdentity", identity));
    record.put("eventTime", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    record.put("eventID", rule + "-" + key);
    ObjectNode body = JSON.createObjectNode().put("account", ACCOUNT);
    body.set("detail", record);
    return pushBody(body.toString());
  }

  /** The source identity the ledger recorded for the session of {@code key}, if stint minted it. */
  Optional<String> sourceIdentity(String key) {
    try {
      return AuditTables.strings(
              db, "SELECT source_identity FROM credentials WHERE access_key_id = '" + key + "'")
          .stream()
          .findFirst();
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }

  public long count(String sql) {
    try {
      return Long.parseLong(AuditTables.strings(db, sql).get(0));
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }

  /** Waits for {@code done}, at most {@code limit}: never a fixed sleep. */
  public static void eventually(BooleanSupplier done, Duration limit, String what)
      throws InterruptedException {
    Instant until = Instant.now().plus(limit);
    while (!done.getAsBoolean()) {
      if (Instant.now().isAfter(until)) {
        throw new AssertionError("not within " + limit + ": " + what);
      }
      Thread.sleep(25);
    }
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
}
