package dev.stint.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ReplicasIT} for longer ({@code make soak}): stories run for {@code STINT_SOAK_SECONDS}
 * (default 180) against two replicas; after each of the first two thirds a replica is killed with
 * SIGKILL while it delivers a revocation and started again, so both replicas die and take over once
 * (the run lasts until both have). The same checks hold at the end.
 */
@Tag("soak")
class ReplicaSoakTest {
  @TempDir Path dir;

  @Test
  void replicasKilledInTurnUnderLoadKeepEveryPromise() throws Exception {
    long seconds = Long.parseLong(System.getenv().getOrDefault("STINT_SOAK_SECONDS", "180"));
    long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
    try (ReplicaRig rig = new ReplicaRig(dir)) {
      rig.start("replica-a");
      rig.start("replica-b");
      // Kills and restarts add about a minute to the run; revocations spread over all of it.
      ReplicaLoad load =
          new ReplicaLoad(
              rig, 4, Duration.ofSeconds(seconds + 60).dividedBy(ReplicaLoad.REVOCATIONS_PER_ROLE));
      try {
        // More stories than the run can finish; once time is up and both replicas have died
        // once, the stories left do nothing.
        AtomicInteger kills = new AtomicInteger();
        load.run(0, 100_000, () -> System.nanoTime() < end || kills.get() < 2);
        for (String victim : List.of("replica-a", "replica-b")) {
          Thread.sleep(Duration.ofSeconds(seconds / 3).toMillis()); // load runs meanwhile
          assertThat(ReplicasIT.killWhileDelivering(rig, victim)).as("rows held").isNotEmpty();
          rig.start(victim);
          kills.incrementAndGet();
        }
        load.await();
        ReplicaChecks.outboxSettles(rig, Duration.ofSeconds(90));
        ReplicaChecks.all(rig, load, "replica-a");
        System.out.printf(
            "replica soak: %d s, %d requests, %d credentials, %d revokes,"
                + " %d extensions approved, %d calls lost to kills%n",
            seconds,
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
}
