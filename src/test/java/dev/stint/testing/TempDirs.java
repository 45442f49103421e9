package dev.stint.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Temporary directories for rigs that cannot use JUnit's {@code @TempDir} (static helpers, rigs
 * built before the test method): each is deleted, with what is in it, when the test JVM exits, so
 * runs do not pile them up in the system's temporary directory.
 */
public final class TempDirs {
  private static final List<Path> CREATED = new ArrayList<>();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(TempDirs::deleteAll, "temp-dirs-cleanup"));
  }

  private TempDirs() {}

  public static Path create(String prefix) throws IOException {
    Path dir = Files.createTempDirectory(prefix);
    synchronized (CREATED) {
      CREATED.add(dir);
    }
    return dir;
  }

  private static void deleteAll() {
    List<Path> all;
    synchronized (CREATED) {
      all = List.copyOf(CREATED);
    }
    for (Path dir : all) {
      try {
        TestPostgres.deleteTree(dir);
      } catch (IOException | RuntimeException e) {
        // Best effort at exit: a directory left behind costs disk, not correctness.
      }
    }
  }
}
