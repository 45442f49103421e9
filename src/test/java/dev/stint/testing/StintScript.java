package dev.stint.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An executable {@code stint} for tests that run the CLI as a separate program (a CI job's shell, a
 * command that calls stint back): a shell script that starts this build's launcher in the JVM
 * running the tests, with its class path, so no packaged build is needed.
 */
public final class StintScript {
  private StintScript() {}

  /** Writes the script at {@code file} (its folder is created) and makes it executable. */
  public static Path write(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(
        file,
        "#!/bin/sh\nexec '"
            + Path.of(System.getProperty("java.home"), "bin", "java")
            + "' -cp '"
            + System.getProperty("java.class.path")
            + "' dev.stint.app.Launcher \"$@\"\n");
    file.toFile().setExecutable(true);
    return file;
  }
}
