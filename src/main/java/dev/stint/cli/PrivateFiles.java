package dev.stint.cli;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Files that hold secrets (tokens, cached credentials): written 0600 inside a 0700 directory before
 * any byte is written, and replaced atomically so a reader never sees half; read back only when
 * their owner alone may read or change them, as ssh reads a private key.
 */
public final class PrivateFiles {
  /** A token file is one line; anything much larger is not one. */
  private static final long MAX_TOKEN_FILE_BYTES = 1024;

  private static final Set<PosixFilePermission> OTHERS =
      EnumSet.of(
          PosixFilePermission.GROUP_READ,
          PosixFilePermission.GROUP_WRITE,
          PosixFilePermission.GROUP_EXECUTE,
          PosixFilePermission.OTHERS_READ,
          PosixFilePermission.OTHERS_WRITE,
          PosixFilePermission.OTHERS_EXECUTE);

  private PrivateFiles() {}

  /**
   * The text of the token file {@code file}, called {@code where} in messages (which never hold
   * what it contains), refused when anyone but its owner may read or change it, when it is larger
   * than {@code what} (a token) could be, or when it cannot be read.
   */
  public static String readToken(Path file, String where, String what) {
    try {
      Optional<Set<PosixFilePermission>> mode = mode(file);
      if (mode.isPresent() && mode.get().stream().anyMatch(OTHERS::contains)) {
        throw new CliException(
            CliException.USAGE,
            where
                + " may be read or changed by others (mode "
                + PosixFilePermissions.toString(mode.get())
                + "): run 'chmod 600 "
                + file
                + "'; nothing was sent");
      }
      if (Files.size(file) > MAX_TOKEN_FILE_BYTES) {
        throw new CliException(CliException.USAGE, where + " is larger than " + what);
      }
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new CliException(CliException.USAGE, where + " does not exist");
    } catch (IOException e) {
      throw new CliException(CliException.USAGE, "cannot read " + where + ": " + e.getMessage());
    }
  }

  /** The file's POSIX mode; empty where the file system has none (Windows: ACLs). */
  private static Optional<Set<PosixFilePermission>> mode(Path file) throws IOException {
    try {
      return Optional.of(Files.getPosixFilePermissions(file));
    } catch (UnsupportedOperationException e) {
      return Optional.empty();
    }
  }

  public static void write(Path file, String content) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    ensurePrivateDir(dir);
    Path tmp = dir.resolve("." + file.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
    Files.deleteIfExists(tmp);
    try {
      Files.createFile(
          tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (FileAlreadyExistsException e) {
      throw new IOException("could not create a private temporary file in " + dir, e);
    }
    try {
      Files.writeString(tmp, content, StandardCharsets.UTF_8);
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Writes whatever {@code body} writes, 0600 from the first byte, in place only when done. */
  public interface Body {
    void writeTo(Writer out) throws IOException;
  }

  /**
   * Like {@link #write}, for content produced a piece at a time (exports): streamed into a 0600
   * temporary file next to {@code file}, moved over it only when {@code body} finishes, deleted if
   * it fails — a reader never sees half an export. An existing directory is left as it is.
   */
  public static void writeStreaming(Path file, Body body) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = dir.resolve("." + file.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
    Files.deleteIfExists(tmp);
    Files.createFile(
        tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try {
      try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
        body.writeTo(out);
      }
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  public static void ensurePrivateDir(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(
          dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
  }
}
