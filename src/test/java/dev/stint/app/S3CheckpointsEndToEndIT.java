package dev.stint.app;

import static dev.stint.testing.AuditTables.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.audit.AuditEvent;
import dev.stint.config.ConfigLoader;
import dev.stint.config.DatabaseUrl;
import dev.stint.testing.AuditTables;
import dev.stint.testing.CliRun;
import dev.stint.testing.Eventually;
import dev.stint.testing.FakeS3;
import dev.stint.testing.TempDirs;
import dev.stint.testing.TestIdp;
import dev.stint.testing.TestPolicies;
import dev.stint.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An S3 anchor from the configuration file to the bucket and back: the server writes its
 * checkpoints with Object Lock to FakeS3 through the SDK's default credential chain, and {@code
 * stint audit verify --checkpoints s3://…} reads them from there and catches a cut tail.
 */
class S3CheckpointsEndToEndIT {
  private TestIdp idp;
  private FakeS3 s3;
  private DatabaseUrl db;
  private Server server;

  @BeforeEach
  void start() throws Exception {
    // The SDK's default chain reads these; cleared after the test.
    System.setProperty("aws.accessKeyId", "AKIDCHECKPOINTS");
    System.setProperty("aws.secretAccessKey", "test-secret-key");
    idp = new TestIdp("corp");
    s3 = FakeS3.start();
    s3.createBucket("audit-anchor", true);
    db = TestPostgres.migratedDatabase();
    Path policies = TempDirs.create("stint-policies");
    Files.writeString(policies.resolve("policy.yaml"), TestPolicies.requests(idp));
    Path config = TempDirs.create("stint-config").resolve("stint.yaml");
    Files.writeString(
        config,
        "audit:\n  checkpoints:\n    every_events: 2\n    verify_every: 1h\n"
            + "    anchors:\n      - s3: {bucket: audit-anchor, prefix: prod, endpoint: '"
            + s3.endpoint()
            + "', object_lock_mode: GOVERNANCE, retention: 30d}\n");
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
    s3.close();
    idp.close();
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
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
  void checkpointsGoToTheBucketAndVerifyFromThere() throws Exception {
    for (int round = 0; round < 2; round++) {
      for (int i = 0; i < 2; i++) {
        await(
            server
                .auditLog()
                .append(
                    AuditEvent.builder("request.created")
                        .actor("https://idp.test", "alice", null)
                        .build()));
      }
      int want = round + 1;
      Eventually.until(
          want + " checkpoint(s) in the bucket",
          Duration.ofSeconds(10),
          () -> {
            await(server.rounds().checkpoint());
            return s3.objects("audit-anchor").size() >= want;
          });
    }
    assertThat(s3.objects("audit-anchor").keySet()).allMatch(k -> k.startsWith("prod/checkpoint-"));
    assertThat(s3.objects("audit-anchor").values())
        .allMatch(o -> o.lockMode().equals(Optional.of("GOVERNANCE")));

    String location = "s3://audit-anchor/prod";
    CliRun ok =
        cli(
            "audit",
            "verify",
            "--checkpoints",
            location,
            "--s3-endpoint",
            s3.endpoint().toString());
    assertThat(ok.exitCode()).as(ok.err()).isZero();
    assertThat(ok.out()).contains("signed checkpoint(s) match");

    long newest =
        Long.parseLong(AuditTables.strings(db, "SELECT max(seq) FROM audit_checkpoints").get(0));
    AuditTables.tamper(db, "DELETE FROM audit_events WHERE seq >= " + newest);
    CliRun cut =
        cli(
            "audit",
            "verify",
            "--checkpoints",
            location,
            "--s3-endpoint",
            s3.endpoint().toString());
    assertThat(cut.exitCode()).isEqualTo(1);
    assertThat(cut.err()).contains("truncated").contains("caught by the checkpoint layer");
  }
}
