package dev.stint.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * Stops and removes the test Postgres servers whose JVM ended without stopping them. A JVM that
 * exits normally stops its own ({@link TestPostgres}'s shutdown hook), but one that is halted or
 * killed cannot: PIT's mutation minions end with {@code Runtime.halt}, so that no hook of the code
 * under test can hang them, and a test fork can be killed on a timeout. Each server's directory
 * names the JVM that owns it; the next test JVM, and {@code make mutation} at its end, reap those
 * whose owner is gone, or every halted minion would leave a running server and its files behind.
 *
 * <p>Only the JDK: {@code make mutation} runs it with {@code target/test-classes} alone.
 */
public final class AbandonedPostgres {
  static final String OWNER = "owner.pid";

  private AbandonedPostgres() {}

  /** Marks {@code dir} as this JVM's. */
  static void claim(Path dir) throws IOException {
    Files.writeString(dir.resolve(OWNER), Long.toString(ProcessHandle.current().pid()));
  }

  /**
   * Stops the server of every directory under {@code root} whose owner has ended, and deletes the
   * directory; answers how many. A directory without an owner is left alone: its JVM may be between
   * creating it and claiming it.
   */
  public static int reap(Path root) throws IOException {
    if (!Files.isDirectory(root)) {
      return 0;
    }
    List<Path> dirs;
    try (Stream<Path> list = Files.list(root)) {
      dirs = list.filter(Files::isDirectory).toList();
    }
    int reaped = 0;
    for (Path dir : dirs) {
      Optional<Long> owner = pid(dir.resolve(OWNER));
      if (owner.isPresent() && !alive(owner.get())) {
        try {
          stopServer(dir);
          TestPostgres.deleteTree(dir);
          reaped++;
        } catch (IOException e) {
          // Another JVM is reaping it at the same moment; whichever finishes, it is gone.
        }
      }
    }
    return reaped;
  }

  /**
   * Stops the postmaster named in the data directory, if it still runs and really serves this
   * directory (a pid can be reused). SIGTERM is Postgres's smart shutdown: its clients died with
   * the owner, so it stops at once.
   */
  private static void stopServer(Path dir) throws IOException {
    Optional<ProcessHandle> postmaster =
        pid(dir.resolve("postgres").resolve("postmaster.pid"))
            .flatMap(ProcessHandle::of)
            .filter(ProcessHandle::isAlive)
            .filter(
                p ->
                    p.info()
                        .commandLine()
                        .filter(c -> c.contains(dir.getFileName().toString()))
                        .isPresent());
    if (postmaster.isEmpty()) {
      return;
    }
    postmaster.get().destroy();
    try {
      postmaster.get().onExit().get(Patience.seconds(30), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while stopping an abandoned test Postgres", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IOException("an abandoned test Postgres did not stop: " + dir, e);
    }
  }

  private static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  /** The number on the first line of {@code file}, when there is one. */
  private static Optional<Long> pid(Path file) {
    try {
      String first = Files.readAllLines(file, StandardCharsets.UTF_8).get(0).trim();
      return Optional.of(Long.parseLong(first));
    } catch (IOException | IndexOutOfBoundsException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /**
   * {@code java -cp target/test-classes dev.stint.testing.AbandonedPostgres [root]}, the root being
   * this checkout's ({@link ClusterRoot}) when not given.
   */
  public static void main(String[] args) throws IOException {
    Path root = args.length > 0 ? Path.of(args[0]) : ClusterRoot.choose();
    int reaped = reap(root);
    if (reaped > 0) {
      System.out.println("stopped and removed " + reaped + " abandoned test Postgres in " + root);
    }
  }
}
