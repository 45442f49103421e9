package dev.stint.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Optional;
import java.util.UUID;

/**
 * Where a checkout's test Postgres clusters live: in memory ({@value #MEMORY}, a tmpfs on Linux)
 * when it has room, else in {@code target/test-postgres}. A database is some seven hundred files,
 * and making and dropping hundreds of them on a disk filesystem cost Postgres more CPU than the
 * tests' queries, most of it in the kernel.
 *
 * <p>Only the JDK: {@code make mutation} runs {@link AbandonedPostgres} with the test classes
 * alone.
 */
public final class ClusterRoot {
  static final String MEMORY = "/dev/shm";

  /**
   * The room the clusters need in memory: each test JVM's template, postgres database, a class's
   * few databases and WAL up to a throwaway cluster's max_wal_size, with room to spare.
   */
  static final long MEMORY_NEEDED = 2L << 30;

  private ClusterRoot() {}

  /**
   * The directory for this checkout's clusters. The one in memory is named after the checkout, so
   * that two checkouts' runs never reap each other's, and is used only when it is this user's own
   * directory (no link; made 0700): anyone can create a name in /dev/shm first.
   */
  public static Path choose() {
    return choose(Path.of(MEMORY), Path.of("target", "test-postgres").toAbsolutePath());
  }

  static Path choose(Path memory, Path disk) {
    return hasRoom(memory) ? ownDirectory(memory, disk).orElse(disk) : disk;
  }

  /** This checkout's directory in {@code memory}, made 0700 if new; none if it is not its own. */
  static Optional<Path> ownDirectory(Path memory, Path disk) {
    Path mine = memory.resolve("stint-test-postgres-" + checkoutId(disk));
    try {
      if (!Files.exists(mine, LinkOption.NOFOLLOW_LINKS)) {
        Files.createDirectory(
            mine,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      }
      if (!ownedByMe(mine)) {
        return Optional.empty();
      }
      Files.setPosixFilePermissions(mine, PosixFilePermissions.fromString("rwx------"));
      return Optional.of(mine);
    } catch (IOException | UnsupportedOperationException e) {
      return Optional.empty();
    }
  }

  private static boolean ownedByMe(Path dir) throws IOException {
    UserPrincipal me =
        dir.getFileSystem()
            .getUserPrincipalLookupService()
            .lookupPrincipalByName(System.getProperty("user.name"));
    return Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)
        && Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS).equals(me);
  }

  static boolean hasRoom(Path memory) {
    try {
      return Files.isDirectory(memory)
          && Files.isWritable(memory)
          && Files.getFileStore(memory).getUsableSpace() >= MEMORY_NEEDED;
    } catch (IOException e) {
      return false;
    }
  }

  private static String checkoutId(Path disk) {
    return UUID.nameUUIDFromBytes(disk.toString().getBytes(StandardCharsets.UTF_8))
        .toString()
        .substring(0, 8);
  }
}
