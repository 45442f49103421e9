package dev.stint.signing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.UUID;

/**
 * Writes a private key: created 0600 before any byte is written, and put in place atomically, so no
 * reader ever sees a half-written or world-readable key.
 */
public final class PrivateKeyFile {
  private PrivateKeyFile() {}

  /**
   * Writes {@code pem} to {@code file}. Without {@code replace}, an existing file is left alone and
   * FileAlreadyExistsException is thrown — even when another process creates it at the same moment,
   * because the final step is a hard link, which never replaces.
   */
  public static void write(Path file, String pem, boolean replace) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = dir.resolve("." + file.getFileName() + "." + UUID.randomUUID() + ".tmp");
    Files.createFile(
        tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try {
      Files.writeString(tmp, pem, StandardCharsets.US_ASCII);
      if (replace) {
        move(tmp, file);
      } else {
        link(tmp, file);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static void move(Path tmp, Path file) throws IOException {
    try {
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static void link(Path tmp, Path file) throws IOException {
    try {
      Files.createLink(file, tmp);
    } catch (FileAlreadyExistsException e) {
      throw e;
    } catch (UnsupportedOperationException | IOException e) {
      // File systems without hard links: check, then move without replacing.
      if (Files.exists(file)) {
        throw new FileAlreadyExistsException(file.toString());
      }
      Files.move(tmp, file);
    }
  }
}
