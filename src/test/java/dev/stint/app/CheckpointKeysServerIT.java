package dev.stint.app;

import static dev.stint.testing.AuditTables.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSObject;
import dev.stint.audit.AuditEvent;
import dev.stint.checkpoint.Checkpoint;
import dev.stint.checkpoint.CheckpointSigner;
import dev.stint.config.ConfigLoader;
import dev.stint.config.DatabaseUrl;
import dev.stint.signing.SigningKeys;
import dev.stint.testing.AuditTables;
import dev.stint.testing.Eventually;
import dev.stint.testing.TempDirs;
import dev.stint.testing.TestIdp;
import dev.stint.testing.TestPolicies;
import dev.stint.testing.TestPostgres;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One key per purpose: audit checkpoints are signed with a key of their own, published apart from
 * the federation JWKS the clouds trust, and verification refuses a checkpoint signed with a
 * federation key unless the operator lists that key as one that signed checkpoints before.
 */
class CheckpointKeysServerIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CHECKPOINT_KEYS = "/.well-known/stint-checkpoint-keys.json";
  private final HttpClient http = HttpClient.newHttpClient();
  private TestIdp idp;
  private DatabaseUrl db;
  private Path policies;
  private Path dataDir;
  private Path anchor;
  private Server server;

  @BeforeEach
  void start() throws Exception {
    idp = new TestIdp("corp");
    db = TestPostgres.migratedDatabase();
    policies = TempDirs.create("stint-policies");
    Files.writeString(policies.resolve("policy.yaml"), TestPolicies.requests(idp));
    dataDir = policies.resolve("data");
    anchor = TempDirs.create("stint-anchor");
    server = start("");
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    idp.close();
  }

  /** A server with checkpoints to {@link #anchor} and these lines added under {@code audit:}. */
  private Server start(String auditLines) throws Exception {
    Path config = TempDirs.create("stint-config").resolve("stint.yaml");
    Files.writeString(
        config,
        "audit:\n"
            + auditLines
            + "  checkpoints:\n    every_events: 3\n"
            + "    every_seconds: 3600\n    verify_every: 1h\n    anchors:\n      - dir: "
            + anchor
            + "\n");
    return Server.start(
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
                dataDir.toString(),
                "STINT_SHUTDOWN_TIMEOUT",
                "5s")));
  }

  private void restart(String auditLines) throws Exception {
    server.close();
    server = null;
    server = start(auditLines);
  }

  private HttpResponse<String> call(String method, String path, String body) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(server.baseUrl().resolve(path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .header("Content-Type", "application/json")
            .header("Authorization", "Bearer " + idp.token("sue", "security"));
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private List<String> kids(String path) throws Exception {
    HttpResponse<String> r = call("GET", path, null);
    assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
    List<String> kids = new ArrayList<>();
    JSON.readTree(r.body())
        .path("keys")
        .forEach(
            k -> {
              assertThat(k.has("d")).as("a private member in " + path).isFalse();
              kids.add(k.path("kid").asText());
            });
    return kids;
  }

  private String checkpointRound() throws Exception {
    for (int i = 0; i < 4; i++) {
      await(
          server
              .auditLog()
              .append(
                  AuditEvent.builder("request.created")
                      .actor("https://idp.test", "alice", null)
                      .build()));
    }
    Eventually.until(
        "a checkpoint in the anchor",
        Duration.ofSeconds(10),
        () -> {
          await(server.rounds().checkpoint());
          try (Stream<Path> files = Files.list(anchor)) {
            return files.findAny().isPresent();
          }
        });
    try (Stream<Path> files = Files.list(anchor)) {
      List<Path> sorted = files.sorted().toList();
      return Files.readString(sorted.get(sorted.size() - 1));
    }
  }

  /** The chain head signed as a checkpoint by stint's federation key (the development key). */
  private String signedWithTheFederationKey() throws Exception {
    JsonNode head = JSON.readTree(call("GET", "/v1/audit/verify", null).body());
    SigningKeys federation = SigningKeys.load(List.of(dataDir.resolve("signing-key.pem")));
    Checkpoint c =
        new CheckpointSigner(server.baseUrl().toString(), federation.active())
            .sign(
                head.path("head_seq").asLong(),
                head.path("head_hash").asText(),
                Instant.now(),
                Optional.empty());
    return c.jws();
  }

  private JsonNode verifyGiven(String jws) throws Exception {
    HttpResponse<String> r =
        call(
            "POST",
            "/v1/audit/verify",
            JSON.writeValueAsString(Map.of("checkpoints", List.of(jws))));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  @Test
  void checkpointsAreSignedWithAKeyOfTheirOwnPublishedApartFromTheFederationKeys()
      throws Exception {
    String jws = checkpointRound();

    String kid = JWSObject.parse(jws).getHeader().getKeyID();
    List<String> federation = kids("/.well-known/jwks.json");
    List<String> checkpoints = kids(CHECKPOINT_KEYS);
    assertThat(federation).doesNotContain(kid);
    assertThat(checkpoints).contains(kid).doesNotContainAnyElementsOf(federation);
    assertThat(JWSObject.parse(jws).getHeader().getType().getType())
        .isEqualTo("stint-checkpoint+jwt");
    Path key = dataDir.resolve("checkpoint-key.pem");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
        .isEqualTo("rw-------");
    assertThat(verifyGiven(jws).path("ok").asBoolean()).isTrue();
  }

  @Test
  void aCheckpointSignedWithTheFederationKeyIsRefused() throws Exception {
    checkpointRound();

    JsonNode refused = verifyGiven(signedWithTheFederationKey());

    assertThat(refused.path("ok").asBoolean()).as(refused.toString()).isFalse();
    assertThat(refused.path("layer").asText()).isEqualTo("checkpoint");
    assertThat(refused.path("problem").asText()).contains("unknown key");
  }

  /** Checkpoints signed before checkpoints had a key of their own stay verifiable on request. */
  @Test
  void checkpointsOfAFederationKeyListedAsLegacyStillVerify() throws Exception {
    checkpointRound();
    String before = signedWithTheFederationKey();
    Path legacy =
        Files.writeString(
            TempDirs.create("legacy").resolve("jwks.json"),
            call("GET", "/.well-known/jwks.json", null).body());

    restart("  checkpoint_legacy_jwks: " + legacy + "\n");

    JsonNode ok = verifyGiven(before);
    assertThat(ok.path("ok").asBoolean()).as(ok.toString()).isTrue();
    assertThat(kids(CHECKPOINT_KEYS)).containsAll(kids("/.well-known/jwks.json"));
  }

  @Test
  void aKeyThatSignsFederationTokensIsRefusedAsACheckpointKey() throws Exception {
    Path federationKey = dataDir.resolve("signing-key.pem");
    server.close();
    server = null;

    assertThatThrownBy(() -> start("  checkpoint_keys: [" + federationKey + "]\n"))
        .hasMessageContaining("audit.checkpoint_keys")
        .hasMessageContaining("also signs federation tokens");
  }

  /**
   * An upgrade: the newest stored checkpoint was signed (by an earlier stint) with the federation
   * key. Boot names what to configure instead of raising a tamper alarm; with the legacy JWKS set,
   * the server starts and continues the line with its own key.
   */
  @Test
  void anUpgradeOverCheckpointsOfTheFederationKeyNamesWhatToConfigure() throws Exception {
    for (int i = 0; i < 4; i++) {
      await(
          server
              .auditLog()
              .append(
                  AuditEvent.builder("request.created")
                      .actor("https://idp.test", "alice", null)
                      .build()));
    }
    String jws = signedWithTheFederationKey();
    Checkpoint old =
        new Checkpoint(
            4,
            JWSObject.parse(jws).getPayload().toJSONObject().get("hash").toString(),
            Instant.now(),
            Optional.empty(),
            JWSObject.parse(jws).getHeader().getKeyID(),
            jws);
    AuditTables.execute(
        db,
        "INSERT INTO audit_checkpoints (seq, hash, signed_at, digest,"
            + " prev_digest, kid, jws) VALUES (4, '"
            + old.hash()
            + "', now(), '"
            + old.digest()
            + "', NULL, '"
            + old.kid()
            + "', '"
            + jws
            + "')");
    Path legacy =
        Files.writeString(
            TempDirs.create("legacy").resolve("jwks.json"),
            call("GET", "/.well-known/jwks.json", null).body());
    server.close();
    server = null;

    assertThatThrownBy(() -> start(""))
        .hasMessageContaining("signed with key " + old.kid())
        .hasMessageContaining("audit.checkpoint_legacy_jwks");

    server = start("  checkpoint_legacy_jwks: " + legacy + "\n");
    String next = checkpointRound();
    assertThat(JWSObject.parse(next).getPayload().toJSONObject().get("prev"))
        .isEqualTo(old.digest());
    JsonNode both =
        JSON.readTree(
            call(
                    "POST",
                    "/v1/audit/verify",
                    JSON.writeValueAsString(Map.of("checkpoints", List.of(jws, next))))
                .body());
    assertThat(both.path("ok").asBoolean()).as(both.toString()).isTrue();
    assertThat(both.path("checkpoints").asInt()).isEqualTo(2);
  }
}
