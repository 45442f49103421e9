package dev.stint.cli.audit;

import static dev.stint.testing.AuditTables.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stint.audit.AuditEvent;
import dev.stint.audit.AuditRecord;
import dev.stint.cli.CliException;
import dev.stint.config.DatabaseUrl;
import dev.stint.testing.AuditServer;
import dev.stint.testing.AuditTables;
import dev.stint.testing.CliRun;
import dev.stint.testing.TestPostgres;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code stint audit export|verify} against a running audit API. */
class AuditCliTest {
  @TempDir Path home;
  private DatabaseUrl url;
  private AuditServer server;
  private Map<String, String> env;

  @BeforeEach
  void start() throws Exception {
    url = TestPostgres.migratedDatabase();
    server = AuditServer.start(url, AuditServer.BEARER_GATE, Duration.ofSeconds(30));
    env = Map.of("STINT_SERVER", server.uri("").toString(), "STINT_TOKEN", "auditor");
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  private void appendMany(int n) throws Exception {
    List<Future<AuditRecord>> all = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      all.add(
          server
              .log()
              .append(
                  AuditEvent.builder(i % 2 == 0 ? "request.created" : "credential.issued")
                      .actor("https://idp", "alice", "alice@example.com")
                      .reason(i == 0 ? "=1+2, \"quoted\"" : "INC-" + i)
                      .detail("i", i)
                      .detail("nested", Map.of("é", List.of(true)))
                      .build()));
    }
    await(Future.all(all));
  }

  @Test
  void exportsEveryPageAsJsonLinesWhoseHashesAnAuditorCanRecompute() throws Exception {
    appendMany(AuditExportCommand.PAGE + 5);
    CliRun run = CliRun.run(home, env, "audit", "export", "--since", "1h");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.err()).isEmpty();
    List<String> lines = run.out().lines().toList();
    assertThat(lines).hasSize(AuditExportCommand.PAGE + 5);
    String prev = "0".repeat(64);
    ObjectMapper json =
        new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
    for (int i = 0; i < lines.size(); i++) {
      JsonNode event = json.readTree(lines.get(i));
      assertThat(event.path("seq").asLong()).isEqualTo(i + 1);
      assertThat(event.path("prev_hash").asText()).isEqualTo(prev);
      ObjectNode unsigned = ((ObjectNode) event).deepCopy();
      unsigned.remove("hash");
      // What docs/audit.md tells an auditor: sorted keys, no whitespace, SHA-256 of UTF-8.
      String canonical = json.writeValueAsString(json.treeToValue(unsigned, TreeMap.class));
      String hash =
          HexFormat.of()
              .formatHex(
                  MessageDigest.getInstance("SHA-256")
                      .digest(canonical.getBytes(StandardCharsets.UTF_8)));
      assertThat(event.path("hash").asText()).as("hash of seq %s", i + 1).isEqualTo(hash);
      prev = hash;
    }
  }

  @Test
  void exportsFilteredCsvToAPrivateFile() throws Exception {
    appendMany(4);
    Path file = home.resolve("out/audit.csv");
    CliRun run =
        CliRun.run(
            home,
            env,
            "audit",
            "export",
            "--since",
            "2000-01-01",
            "--format",
            "csv",
            "--type",
            "request.created",
            "--output",
            file.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).isEmpty();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    List<String> rows = Files.readString(file).lines().toList();
    assertThat(rows).hasSize(3);
    assertThat(rows.get(0)).startsWith("seq,event_id,occurred_at,type,");
    assertThat(rows.get(1))
        .startsWith("1,")
        .contains(",request.created,")
        .contains("\"'=1+2, \"\"quoted\"\"\"")
        .contains("\"{\"\"i\"\":0,");
    assertThat(rows.get(2)).startsWith("3,");
    try (var listing = Files.list(file.getParent())) {
      assertThat(listing).containsExactly(file); // no temporary file left behind
    }
  }

  @Test
  void verifyExitsZeroWhenIntactAndOneNamingTheBrokenSeq() throws Exception {
    appendMany(3);
    CliRun ok = CliRun.run(home, env, "audit", "verify");
    assertThat(ok.exitCode()).as(ok.err()).isZero();
    assertThat(ok.out()).startsWith("audit chain intact: 3 events, head seq 3 (");
    AuditTables.tamper(url, "UPDATE audit_events SET reason = 'rewritten' WHERE seq = 2");
    CliRun broken = CliRun.run(home, env, "audit", "verify");
    assertThat(broken.exitCode()).isEqualTo(1);
    assertThat(broken.err().strip())
        .startsWith("stint: audit chain broken at seq 2: hash mismatch")
        .doesNotContain("\n");
    CliRun asJson = CliRun.run(home, env, "audit", "verify", "-o", "json");
    assertThat(asJson.exitCode()).isEqualTo(1);
    assertThat(new ObjectMapper().readTree(asJson.out()).path("broken_seq").asLong()).isEqualTo(2);
  }

  @Test
  void refusalsAndBadInputAreOneLineErrors() throws Exception {
    CliRun forbidden =
        CliRun.run(
            home,
            Map.of("STINT_SERVER", server.uri("").toString(), "STINT_TOKEN", "someone"),
            "audit",
            "verify");
    assertThat(forbidden.exitCode()).isEqualTo(CliException.REFUSED);
    assertThat(forbidden.err()).contains("only auditors may read the audit log (forbidden");
    CliRun badSince = CliRun.run(home, env, "audit", "export", "--since", "last tuesday");
    assertThat(badSince.exitCode()).isEqualTo(CliException.USAGE);
    assertThat(badSince.err()).contains("--since must be an ISO-8601 time");
    CliRun noSince = CliRun.run(home, env, "audit", "export");
    assertThat(noSince.exitCode()).isEqualTo(CliException.USAGE);
    Path file = home.resolve("never.jsonl");
    CliRun refusedExport =
        CliRun.run(
            home,
            Map.of("STINT_SERVER", server.uri("").toString(), "STINT_TOKEN", "someone"),
            "audit",
            "export",
            "--since",
            "1d",
            "--output",
            file.toString());
    assertThat(refusedExport.exitCode()).isEqualTo(CliException.REFUSED);
    assertThat(file).doesNotExist();
  }
}
