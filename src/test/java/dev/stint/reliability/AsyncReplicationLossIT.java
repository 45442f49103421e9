package dev.stint.reliability;

import static dev.stint.testing.AuditTables.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.audit.ChainVerifier;
import dev.stint.config.DatabaseUrl;
import dev.stint.db.DatabaseConnections;
import dev.stint.db.Migrations;
import dev.stint.reliability.FailoverLoad.Answer;
import dev.stint.testing.AuditTables;
import dev.stint.testing.Eventually;
import dev.stint.testing.IssuanceRig;
import dev.stint.testing.MovableProxy;
import dev.stint.testing.Patience;
import dev.stint.testing.ReplicatedPostgres;
import dev.stint.testing.TestPostgres;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a failover loses when replication is asynchronous, and what shows it (issue 42). The standby
 * is cut off from the primary (a partition between them) while stint goes on issuing: the primary
 * acknowledges every commit alone. It is then killed and the standby promoted: the credentials
 * answered after the cut have no row on the new primary, and its chain, a prefix of the old one,
 * still verifies on its own. Only a record kept outside the database shows the loss: a signed
 * checkpoint in the directory anchor names a head the new primary no longer has.
 */
class AsyncReplicationLossIT {
  private static final Duration CALLER_DEADLINE = Duration.ofSeconds(10);
  private static final Duration LIMIT = Duration.ofSeconds(30);

  private ReplicatedPostgres pair;
  private MovableProxy address;
  private IssuanceRig rig;
  private Path anchor;
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void stop() throws Exception {
    if (rig != null) {
      rig.close();
    }
    if (address != null) {
      address.close();
    }
    if (pair != null) {
      pair.close();
    }
    TestPostgres.deleteTree(anchor);
    vertx.close().await(Patience.seconds(10), TimeUnit.MILLISECONDS);
  }

  @Test
  void credentialsAcknowledgedAfterTheCutAreLostAndTheSignedCheckpointsShowIt() throws Exception {
    pair = ReplicatedPostgres.start(Files.createTempDirectory("stint-async"), false);
    address = MovableProxy.to(pair.primaryPort());
    DatabaseUrl url = ReplicatedPostgres.superuser(address.port());
    Migrations.migrate(url);
    anchor = Files.createTempDirectory("stint-anchor");
    rig = IssuanceRig.onDatabase(url, Map.of(), Optional.of(checkpointsIn(anchor)));

    List<String> replicated = issue(Duration.ofSeconds(2));
    Eventually.until(
        "the standby to hold every credential so far", LIMIT, () -> onStandby(replicated));
    pair.cutReplication();
    Eventually.until("replication to stop", LIMIT, () -> pair.replicationStates().isEmpty());
    List<String> unreplicated = issue(Duration.ofSeconds(2));
    // A checkpoint of the head as the primary has it, kept outside the database. Twice: a round
    // already under way when asked may have read the head before the last issuance.
    await(rig.server().server().rounds().checkpoint());
    await(rig.server().server().rounds().checkpoint());
    long signedHead = head(url);

    pair.killPrimary();
    pair.promoteStandby();
    address.moveTo(pair.standbyPort());
    Eventually.until(
        "issuance on the new primary", LIMIT, () -> !issue(Duration.ofSeconds(1)).isEmpty());

    Set<String> kept = credentialsOn(ReplicatedPostgres.superuser(pair.standbyPort()));
    assertThat(replicated).isNotEmpty().allMatch(kept::contains);
    assertThat(unreplicated)
        .as("credentials acknowledged after the cut, none on the new primary")
        .isNotEmpty()
        .noneMatch(kept::contains);
    ChainVerifier.Result chainAlone = verifyChainOnTheNewPrimary();
    assertThat(chainAlone.ok()).as("the shorter chain is whole on its own").isTrue();

    Optional<ChainVerifier.Result> found = await(rig.server().server().rounds().tamperCheck());
    assertThat(found).as("the signed checkpoints reveal the loss").isPresent();
    assertThat(found.get().layer()).contains(ChainVerifier.CHECKPOINT);
    assertThat(found.get().brokenSeq().orElseThrow()).isLessThanOrEqualTo(signedHead);
    HttpResponse<String> ready = rig.server().get("/readyz");
    assertThat(ready.statusCode()).as(ready.body()).isEqualTo(503);
    assertThat(ready.body()).contains("audit_chain");
    System.out.printf(
        "asynchronous failover: %d credentials acknowledged after the cut, %d of them on the new"
            + " primary; checkpoint head %d; the checkpoint layer broke at seq %d: %s%n",
        unreplicated.size(),
        unreplicated.stream().filter(kept::contains).count(),
        signedHead,
        found.get().brokenSeq().orElseThrow(),
        found.get().problem().orElse(""));
  }

  /** Checkpoints after every event, to a directory outside the database; checked only on demand. */
  private static String checkpointsIn(Path dir) {
    return "audit:\n  checkpoints:\n    every_events: 1\n    every_seconds: 3600\n"
        + "    verify_every: 1h\n    anchors:\n      - dir: "
        + dir
        + "\n";
  }

  /** Asks for credentials for {@code duration}; the ids of those answered. */
  private List<String> issue(Duration duration) throws Exception {
    try (FailoverLoad load =
        FailoverLoad.start(rig.credentials("alice"), 4, CALLER_DEADLINE, rig.uri("/healthz"))) {
      Thread.sleep(duration.toMillis());
      load.stop();
      return load.credentials().stream()
          .filter(a -> a.status() == 200)
          .map(Answer::credentialId)
          .toList();
    }
  }

  private boolean onStandby(List<String> ids) throws Exception {
    return credentialsOn(ReplicatedPostgres.superuser(pair.standbyPort())).containsAll(ids);
  }

  private static Set<String> credentialsOn(DatabaseUrl db) throws Exception {
    return new HashSet<>(
        AuditTables.strings(
            db,
            "SELECT c.id FROM credentials c JOIN audit_events a ON a.event_id = c.event_id"
                + " WHERE a.type = 'credential.issued'"));
  }

  private ChainVerifier.Result verifyChainOnTheNewPrimary() throws Exception {
    Pool pool =
        DatabaseConnections.pool(
            vertx, ReplicatedPostgres.superuser(pair.standbyPort()), 1, "verify");
    try {
      return await(new ChainVerifier(pool).verify());
    } finally {
      pool.close();
    }
  }

  private static long head(DatabaseUrl url) throws Exception {
    return Long.parseLong(
        AuditTables.strings(url, "SELECT coalesce(max(seq), 0) FROM audit_events").get(0));
  }
}
