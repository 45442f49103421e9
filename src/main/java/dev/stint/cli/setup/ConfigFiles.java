package dev.stint.cli.setup;

import dev.stint.cli.CliException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;

/**
 * Replaces a user's config file the way an editor should: the old text kept beside it, the new one
 * moved into place whole (a reader never sees half), the file's mode kept (0600 when new), and a
 * symlinked config (dotfile managers) written through to its target.
 */
public final class ConfigFiles {
  static final String BACKUP_SUFFIX = ".stint-backup";

  private ConfigFiles() {}

  /**
   * Writes {@code after} over {@code file} if it still holds {@code before}; returns the backup of
   * the old text, when there was a file.
   */
  public static Optional<Path> replace(Path file, String before, String after) {
    try {
      Path target = Files.isSymbolicLink(file) ? file.toRealPath() : file;
      boolean existed = Files.exists(target);
      String now = existed ? Files.readString(target, StandardCharsets.UTF_8) : "";
      if (!now.equals(before)) {
        throw new CliException(
            CliException.FAILED,
            file
                + " changed while stint was reading it;"
                + " nothing written: run the command again");
      }
      Set<PosixFilePermission> mode =
          existed
              ? Files.getPosixFilePermissions(target)
              : PosixFilePermissions.fromString("rw-------");
      Path dir = target.toAbsolutePath().getParent();
      if (!Files.isDirectory(dir)) {
        Files.createDirectories(
            dir,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      }
      Optional<Path> backup = Optional.empty();
      if (existed) {
        Path copy = target.resolveSibling(target.getFileName() + BACKUP_SUFFIX);
        writeAtomically(copy, before, mode);
        backup = Optional.of(copy);
      }
      writeAtomically(target, after, mode);
      return backup;
    } catch (IOException e) {
      throw new CliException(CliException.FAILED, "cannot write " + file + ": " + e.getMessage());
    }
  }

  private static void writeAtomically(Path file, String text, Set<PosixFilePermission> mode)
      throws IOException {
    Path tmp =
        file.resolveSibling(
            "." + file.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
    Files.deleteIfExists(tmp);
    // Created private, so no one can open it before its mode is set.
    Files.createFile(
        tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try {
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      Files.setPosixFilePermissions(tmp, mode);
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
