package dev.stint.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.db.EmbeddedDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A test Postgres whose JVM was halted (as PIT's minions are) is stopped and removed by the next
 * test JVM; one whose JVM still runs, or that is not claimed yet, is left alone.
 */
class AbandonedPostgresTest {
  @TempDir Path root;

  /** The pid of a process that has already ended. */
  private static long endedPid() throws Exception {
    Process p = new ProcessBuilder("true").start();
    p.waitFor();
    return p.pid();
  }

  @Test
  void aServerWhoseJvmEndedIsStoppedAndItsDirectoryRemoved() throws Exception {
    Path dir = Files.createDirectory(root.resolve("halted"));
    EmbeddedDatabase server = EmbeddedDatabase.start(dir, EmbeddedDatabase.Use.THROWAWAY);
    Optional<ProcessHandle> postmaster =
        ProcessHandle.of(
            Long.parseLong(
                Files.readAllLines(dir.resolve("postgres/postmaster.pid")).get(0).trim()));
    try {
      Files.writeString(dir.resolve(AbandonedPostgres.OWNER), Long.toString(endedPid()));

      assertThat(AbandonedPostgres.reap(root)).isEqualTo(1);

      assertThat(postmaster).isPresent();
      assertThat(postmaster.get().isAlive()).as("the abandoned server still runs").isFalse();
      assertThat(dir).doesNotExist();
    } finally {
      if (postmaster.map(ProcessHandle::isAlive).orElse(false)) {
        server.close();
      }
    }
  }

  @Test
  void aDirectoryOfARunningJvmOrOfNoneYetIsKept() throws Exception {
    Path mine = Files.createDirectory(root.resolve("mine"));
    AbandonedPostgres.claim(mine);
    Path unclaimed = Files.createDirectory(root.resolve("unclaimed"));

    assertThat(AbandonedPostgres.reap(root)).isZero();

    assertThat(mine).isDirectory();
    assertThat(unclaimed).isDirectory();
  }

  @Test
  void noDirectoryIsNothingToReap() throws Exception {
    assertThat(AbandonedPostgres.reap(root.resolve("absent"))).isZero();
  }
}
