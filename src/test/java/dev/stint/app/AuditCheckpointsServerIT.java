package dev.stint.app;

import static dev.stint.testing.AuditTables.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.stint.audit.AuditEvent;
import dev.stint.config.ConfigLoader;
import dev.stint.config.DatabaseUrl;
import dev.stint.testing.AuditTables;
import dev.stint.testing.CliRun;
import dev.stint.testing.Eventually;
import dev.stint.testing.TempDirs;
import dev.stint.testing.TestIdp;
import dev.stint.testing.TestPolicies;
import dev.stint.testing.TestPostgres;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The whole server with {@code audit.checkpoints} set: checkpoints reach the directory anchor,
 * {@code /v1/audit/verify} holds the chain against them (auditors only), and a truncation done by a
 * superuser raises the tamper alarm: {@code /readyz}, the metric, the audit event and the webhook.
 */
class AuditCheckpointsServerIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<JsonNode> alarms = new CopyOnWriteArrayList<>();
  private TestIdp idp;
  private HttpServer receiver;
  private DatabaseUrl db;
  private Path dir;
  private Server server;

  @BeforeEach
  void start() throws Exception {
    idp = new TestIdp("corp");
    receiver = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
    receiver.createContext(
        "/alarm",
        ex -> {
          try (ex) {
            alarms.add(JSON.readTree(ex.getRequestBody().readAllBytes()));
            ex.sendResponseHeaders(204, -1);
          }
        });
    receiver.start();
    db = TestPostgres.migratedDatabase();
    Path policies = TempDirs.create("stint-policies");
    Files.writeString(policies.resolve("policy.yaml"), TestPolicies.requests(idp));
    Path outside = TempDirs.create("stint-config");
    dir = outside.resolve("anchor");
    Path config = outside.resolve("stint.yaml");
    Files.writeString(
        config,
        "audit:\n  checkpoints:\n    every_events: 3\n"
            + "    every_seconds: 3600\n    verify_every: 1h\n    anchors:\n      - dir: "
            + dir
            + "\n"
            + "notify:\n  webhooks:\n    - url: http://127.0.0.1:"
            + receiver.getAddress().getPort()
            + "/alarm\n      secret: 0123456789abcdef0123\n");
    server =
        Server.start(
            ConfigLoader.load(
                Optional.of(config),
                Map.of(
                    "STINT_LISTEN",
                    "127.0.0.1:0",
                    "STINT_DATABASE_URL",
                    db.withCredentials(),
                    "STINT_POLICIES",
                    policies.toString(),
                    "STINT_DATA_DIR",
                    policies.resolve("data").toString(),
                    "STINT_SHUTDOWN_TIMEOUT",
                    "5s")));
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    receiver.stop(0);
    idp.close();
  }

  private void append(int n) throws Exception {
    for (int i = 0; i < n; i++) {
      await(
          server
              .auditLog()
              .append(
                  AuditEvent.builder("request.created")
                      .actor("https://idp.test", "alice", null)
                      .build()));
    }
  }

  private List<Path> checkpointFiles() throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      return files.sorted().toList();
    }
  }

  private HttpResponse<String> call(String method, String path, String token, String body)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(server.baseUrl().resolve(path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .header("Content-Type", "application/json");
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode verify(String query) throws Exception {
    HttpResponse<String> r =
        call("GET", "/v1/audit/verify" + query, idp.token("sue", "security"), null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  @Test
  void checkpointsAreWrittenAndVerifyHoldsTheChainAgainstThem() throws Exception {
    append(4);
    Eventually.until(
        "a checkpoint in the directory",
        Duration.ofSeconds(10),
        () -> {
          await(server.rounds().checkpoint());
          return !checkpointFiles().isEmpty();
        });
    JsonNode ok = verify("");
    assertThat(ok.path("ok").asBoolean()).as(ok.toString()).isTrue();
    assertThat(ok.path("checkpoints").asInt()).isEqualTo(1);
    assertThat(ok.path("checkpoint_seq").asLong()).isGreaterThanOrEqualTo(4);
    JsonNode incremental = verify("?incremental=true");
    assertThat(incremental.path("incremental").asBoolean()).isTrue();
    assertThat(incremental.path("ok").asBoolean()).isTrue();

    assertThat(call("GET", "/v1/audit/verify", idp.token("alice", "eng"), null).statusCode())
        .isEqualTo(403);
    assertThat(call("GET", "/v1/audit/verify", null, null).statusCode()).isEqualTo(401);
    assertThat(
            call("GET", "/v1/audit/verify?incremental=maybe", idp.token("sue", "security"), null)
                .statusCode())
        .isEqualTo(400);

    String jws = Files.readString(checkpointFiles().get(0));
    HttpResponse<String> given =
        call(
            "POST",
            "/v1/audit/verify",
            idp.token("sue", "security"),
            JSON.writeValueAsString(Map.of("checkpoints", List.of(jws))));
    assertThat(JSON.readTree(given.body()).path("ok").asBoolean()).as(given.body()).isTrue();
    String forged = jws.substring(0, jws.lastIndexOf('.') + 1) + "AAAA";
    JsonNode refused =
        JSON.readTree(
            call(
                    "POST",
                    "/v1/audit/verify",
                    idp.token("sue", "security"),
                    JSON.writeValueAsString(Map.of("checkpoints", List.of(forged))))
                .body());
    assertThat(refused.path("ok").asBoolean()).isFalse();
    assertThat(refused.path("layer").asText()).isEqualTo("checkpoint");
    assertThat(
            call(
                    "POST",
                    "/v1/audit/verify",
                    idp.token("sue", "security"),
                    "{\"checkpoints\": \"one\"}")
                .statusCode())
        .isEqualTo(400);
  }

  private CliRun cli(String... args) throws Exception {
    return CliRun.run(
        TempDirs.create("home"),
        Map.of(
            "STINT_SERVER",
            server.baseUrl().toString(),
            "STINT_TOKEN",
            idp.token("sue", "security")),
        args);
  }

  @Test
  void theCliVerifiesAgainstTheCheckpointsInADirectory() throws Exception {
    append(3);
    Eventually.until(
        "one checkpoint",
        Duration.ofSeconds(10),
        () -> {
          await(server.rounds().checkpoint());
          return checkpointFiles().size() >= 1;
        });
    append(4);
    Eventually.until(
        "two checkpoints",
        Duration.ofSeconds(10),
        () -> {
          await(server.rounds().checkpoint());
          return checkpointFiles().size() >= 2;
        });
    CliRun ok = cli("audit", "verify", "--checkpoints", dir.toString());
    assertThat(ok.exitCode()).as(ok.err()).isZero();
    assertThat(ok.out()).contains("audit chain intact").contains("signed checkpoint(s) match");
    CliRun incremental = cli("audit", "verify", "--checkpoints", dir.toString(), "--incremental");
    assertThat(incremental.out()).contains("after the newest checkpoint");

    // A superuser recomputes nothing, just cuts the tail back past the newest checkpoint.
    long newest =
        Long.parseLong(
            checkpointFiles()
                .get(checkpointFiles().size() - 1)
                .getFileName()
                .toString()
                .replaceAll("\\D", ""));
    AuditTables.tamper(db, "DELETE FROM audit_events WHERE seq >= " + newest);
    CliRun own = cli("audit", "verify");
    assertThat(own.exitCode()).as("the server's own anchor sees it too").isEqualTo(1);
    assertThat(own.err()).contains("caught by the checkpoint layer");
    CliRun cut = cli("audit", "verify", "--checkpoints", dir.toString());
    assertThat(cut.exitCode()).isEqualTo(1);
    assertThat(cut.err())
        .contains("audit chain broken at seq " + newest + ": truncated")
        .contains("caught by the checkpoint layer");

    Path strange = TempDirs.create("strange");
    Files.writeString(strange.resolve("checkpoint-00000000000000000001.jws"), "eyJ.not.valid");
    CliRun bad = cli("audit", "verify", "--checkpoints", strange.toString());
    assertThat(bad.exitCode()).isEqualTo(1);
    assertThat(bad.err()).contains("a checkpoint cannot be trusted");
    CliRun missing = cli("audit", "verify", "--checkpoints", strange.resolve("nothing").toString());
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.err()).contains("cannot read checkpoints");
  }

  @Test
  void aTruncatedTailRaisesTheTamperAlarm() throws Exception {
    append(6);
    Eventually.until(
        "a checkpoint covering seq 6",
        Duration.ofSeconds(10),
        () -> {
          await(server.rounds().checkpoint());
          return verify("").path("checkpoint_seq").asLong() >= 6;
        });
    assertThat(await(server.rounds().tamperCheck())).isEmpty();
    assertThat(call("GET", "/readyz", null, null).statusCode()).isEqualTo(200);

    long head = verify("").path("head_seq").asLong();
    AuditTables.tamper(db, "DELETE FROM audit_events WHERE seq >= " + (head - 1));

    var found = await(server.rounds().tamperCheck()).orElseThrow();
    assertThat(found.layer()).contains("checkpoint");
    assertThat(found.brokenSeq()).contains(head - 1);
    HttpResponse<String> ready = call("GET", "/readyz", null, null);
    assertThat(ready.statusCode()).isEqualTo(503);
    assertThat(JSON.readTree(ready.body()).toString())
        .contains("tamper detected at seq " + (head - 1) + " (checkpoint)");
    assertThat(call("GET", "/metrics", null, null).body())
        .contains("stint_audit_tamper_detected 1.0");
    Eventually.until(
        "the audit.tamper_detected event",
        Duration.ofSeconds(10),
        () ->
            AuditTables.count(
                    db, "type = 'audit.tamper_detected' AND details->>'layer' = 'checkpoint'")
                == 1);
    Eventually.until("the alarm webhook", Duration.ofSeconds(10), () -> !alarms.isEmpty());
    assertThat(alarms.get(0).path("event").asText()).isEqualTo("audit.tamper_detected");
    assertThat(alarms.get(0).path("broken_seq").asLong()).isEqualTo(head - 1);
    // Sticky: the next round does not clear it, and the alarm is not repeated.
    assertThat(await(server.rounds().tamperCheck())).isPresent();
    assertThat(AuditTables.count(db, "type = 'audit.tamper_detected'")).isEqualTo(1);
    assertThat(new String(Files.readAllBytes(checkpointFiles().get(0)), StandardCharsets.US_ASCII))
        .startsWith("ey");
  }
}
