package dev.stint.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.config.DatabaseUrl;
import dev.stint.db.Migrations;
import dev.stint.testing.AuditTables;
import dev.stint.testing.Eventually;
import dev.stint.testing.IssuanceRig;
import dev.stint.testing.LoadDriver;
import dev.stint.testing.TestPostgres;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Postgres stops in the middle of load and comes back on the same address. While it is down no
 * credential is returned (the audit record cannot commit, so issuance fails closed with 503); once
 * it is back, stint issues again without a restart; and across the whole run every 200 has exactly
 * one committed {@code credential.issued} event and ledger row. The reverse may not hold across the
 * moment the database stops: a credential recorded just before it, whose grant could then not be
 * read again, is withheld (fail closed), and its {@code credential.withheld} cannot be recorded
 * either; each such record is one of that run's failed answers.
 */
class DatabaseOutageIT {
  private Path dataDir;
  private int port;
  private EmbeddedPostgres postgres;
  private IssuanceRig rig;

  @AfterEach
  void stop() throws Exception {
    if (rig != null) {
      rig.close();
    }
    if (postgres != null) {
      postgres.close();
    }
    TestPostgres.deleteTree(dataDir);
  }

  private void startPostgres() throws IOException {
    postgres =
        EmbeddedPostgres.builder()
            .setDataDirectory(dataDir)
            .setCleanDataDirectory(false)
            .setPort(port)
            .setRegisterShutdownHook(false)
            .setPGStartupWait(Duration.ofSeconds(60))
            .setServerConfig("listen_addresses", "127.0.0.1")
            // TCP only: a unix socket in /tmp outlives a killed server, and a later server given
            // the same port number would be taken for reachable without a password.
            .setServerConfig("unix_socket_directories", "")
            .setServerConfig("fsync", "on")
            .setServerConfig("synchronous_commit", "on")
            .setOutputRedirector(ProcessBuilder.Redirect.DISCARD)
            .setErrorRedirector(ProcessBuilder.Redirect.DISCARD)
            .start();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void noCredentialWhileDownAndRecoveryWithoutRestart() throws Exception {
    dataDir = Files.createTempDirectory("stint-outage").resolve("pg");
    port = freePort();
    startPostgres();
    DatabaseUrl url = new DatabaseUrl("127.0.0.1", port, "postgres", "postgres", "", Map.of());
    Migrations.migrate(url);
    rig = IssuanceRig.onDatabase(url, Map.of());
    long issued = 0;
    long failedAcross;
    try (LoadDriver driver = new LoadDriver();
        LoadDriver background = new LoadDriver()) {
      LoadDriver.Result before = driver.run(rig.credentials("alice"), 8, Duration.ofSeconds(2));
      assertThat(before.byStatus().keySet()).as(before.toString()).containsOnly(200);
      issued += before.count(200);

      // Load keeps running while the database stops under it.
      long issuedBefore = rig.auditCount("credential.issued");
      CompletableFuture<LoadDriver.Result> across =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return background.run(rig.credentials("alice"), 8, Duration.ofSeconds(3));
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      // Within the background run's 3 s, or the database would stop after the load, not under it.
      Eventually.until(
          "the load to issue credentials again",
          Duration.ofSeconds(3),
          () -> rig.auditCount("credential.issued") > issuedBefore);
      postgres.close();
      LoadDriver.Result spanning = across.get();
      issued += spanning.count(200);
      failedAcross = spanning.total() - spanning.count(200);

      LoadDriver.Result down = driver.run(rig.credentials("alice"), 8, Duration.ofSeconds(3));
      assertThat(down.count(200)).as("no credential while the database is down: " + down).isZero();
      assertThat(down.byStatus().keySet()).as(down.toString()).containsOnly(503);

      startPostgres();
      LoadDriver.Result recovered = null;
      long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (System.nanoTime() < until) {
        recovered = driver.run(rig.credentials("alice"), 4, Duration.ofMillis(500));
        issued += recovered.count(200);
        if (recovered.count(200) > 0 && recovered.byStatus().keySet().equals(Set.of(200))) {
          break;
        }
      }
      assertThat(recovered.byStatus().keySet())
          .as("recovers on its own: " + recovered)
          .containsOnly(200);
    }
    rig.server().close(); // drains the audit writer before counting
    long recorded = rig.auditCount("credential.issued");
    assertThat(recorded).isBetween(issued, issued + failedAcross);
    assertThat(
            AuditTables.count(
                url,
                "type = 'credential.issued' AND NOT EXISTS (SELECT 1 FROM"
                    + " credentials c WHERE c.event_id = audit_events.event_id)"))
        .isZero();
    assertThat(AuditTables.strings(url, "SELECT count(*) FROM credentials").get(0))
        .isEqualTo(Long.toString(recorded));
  }
}
