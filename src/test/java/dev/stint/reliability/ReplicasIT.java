package dev.stint.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.testing.AuditTables;
import dev.stint.testing.Eventually;
import dev.stint.testing.FakeAwsEndpoint.Call;
import dev.stint.testing.FakeIam;
import dev.stint.testing.Patience;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two stint servers on one Postgres under concurrent load (approvals from both sides, issuances,
 * extensions racing revokes); one is killed with SIGKILL while it is delivering a revocation. The
 * survivor completes every pending effect, and afterwards every promise holds (see {@link
 * ReplicaChecks}).
 */
class ReplicasIT {
  static final int STORIES = 48;
  @TempDir Path dir;

  @Test
  void aReplicaKilledMidRevocationLeavesTheSurvivorToFinishAndEveryPromiseHolds() throws Exception {
    try (ReplicaRig rig = new ReplicaRig(dir)) {
      rig.start("replica-a");
      rig.start("replica-b");
      ReplicaLoad load = new ReplicaLoad(rig, 4, Duration.ZERO);
      try {
        load.run(0, STORIES, () -> true);
        Eventually.until(
            "a third of the stories",
            Duration.ofMinutes(3),
            () -> load.completed.get() >= STORIES / 3);

        List<Long> lost = killWhileDelivering(rig, "replica-a");
        load.await();

        ReplicaChecks.outboxSettles(rig, Duration.ofSeconds(90));
        // The row replica-a held was claimed again once its lease ended: a second attempt.
        List<String> leased =
            AuditTables.strings(
                rig.db,
                "SELECT state || ' ' || attempts"
                    + " FROM outbox WHERE id = ANY('{"
                    + String.join(",", lost.stream().map(String::valueOf).toList())
                    + "}'::bigint[])");
        assertThat(leased)
            .as("revocations in flight when replica-a died")
            .isNotEmpty()
            .allSatisfy(row -> assertThat(row).startsWith("done "))
            .anySatisfy(row -> assertThat(Integer.parseInt(row.substring(5))).isGreaterThan(1));
        assertThat(load.revoked).as("revokes answered").hasSizeGreaterThan(STORIES / 2);
        ReplicaChecks.all(rig, load, "replica-b");
        System.out.printf(
            "replicas: %d requests, %d credentials, %d revokes, %d extensions"
                + " approved, %d calls lost to the kill%n",
            load.requests.size(),
            load.issued.size(),
            load.revoked.size(),
            load.extensionsApplied.get(),
            load.lost.get());
      } finally {
        load.close();
      }
    }
  }

  /**
   * Holds replica's next read of a revocation policy in IAM, so a revocation is claimed and in
   * flight, then SIGKILLs the replica and lets IAM answer into the closed connection. Returns the
   * outbox rows it held.
   */
  static List<Long> killWhileDelivering(ReplicaRig rig, String replica) throws Exception {
    FakeIam.Hold hold =
        rig.iam.holdNext(
            call -> ReplicaRig.from(replica, call) && "GetRolePolicy".equals(call.param("Action")));
    Call held = hold.arrived().get(Patience.minutes(2), TimeUnit.MILLISECONDS);
    assertThat(ReplicaRig.from(replica, held)).isTrue();
    List<Long> leased =
        AuditTables.strings(
                rig.db,
                "SELECT id FROM outbox WHERE state ="
                    + " 'pending' AND listener = 'revocation' AND lease_until > now()")
            .stream()
            .map(Long::valueOf)
            .toList();
    rig.process(replica).kill();
    hold.release().complete(null);
    return leased;
  }
}
