package dev.stint.db;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

/**
 * The embedded server's three passwords, each in a file of its own that only stint's OS user can
 * read (0600, in the 0700 data directory): {@code postgres-superuser.password} for the {@code
 * postgres} superuser (initdb reads it; people use it with psql to look inside), {@code
 * postgres-stint_owner.password} for the {@code stint_owner} role that owns the schema and runs
 * migrations, and {@code postgres-stint.password} for the {@code stint} role the server serves
 * requests as.
 */
final class EmbeddedPasswords {
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> OWNER_DIR =
      PosixFilePermissions.fromString("rwx------");
  private final Path dir;

  private EmbeddedPasswords(Path dir) {
    this.dir = dir;
  }

  /** The data directory's passwords; the directory is created, and closed to others, if need be. */
  static EmbeddedPasswords in(Path dataDir) throws IOException {
    Files.createDirectories(dataDir);
    Files.setPosixFilePermissions(dataDir, OWNER_DIR);
    return new EmbeddedPasswords(dataDir);
  }

  Path superuserFile() {
    return dir.resolve("postgres-superuser.password");
  }

  Path stintFile() {
    return dir.resolve("postgres-stint.password");
  }

  /** Set once the cluster takes passwords only and stint's roles are set up. */
  boolean secured() {
    return Files.exists(dir.resolve("postgres-secured"));
  }

  void markSecured() throws IOException {
    Path marker = dir.resolve("postgres-secured");
    if (!Files.exists(marker)) {
      Files.writeString(marker, "every connection to the embedded database needs a password\n");
    }
  }

  Path ownerFile() {
    return dir.resolve("postgres-stint_owner.password");
  }

  void createIfMissing() throws IOException {
    for (Path file : new Path[] {superuserFile(), ownerFile(), stintFile()}) {
      if (!Files.exists(file)) {
        Path tmp =
            Files.createTempFile(
                dir, ".password", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        Files.writeString(tmp, random() + "\n");
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
      }
      Files.setPosixFilePermissions(file, OWNER_ONLY);
    }
  }

  String superuser() {
    return read(superuserFile());
  }

  String owner() {
    return read(ownerFile());
  }

  String stint() {
    return read(stintFile());
  }

  private static String read(Path file) {
    try {
      String text = Files.readString(file).strip();
      if (!text.matches("[A-Za-z0-9_-]{32,}")) {
        throw new IllegalStateException(
            file
                + " does not hold a password stint wrote;"
                + " delete it only together with the database it belongs to");
      }
      return text;
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** 32 random bytes, URL-safe: no quoting needed in SQL or in a pwfile. */
  private static String random() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
