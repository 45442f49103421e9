package dev.stint.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * Where the demo keeps what it writes: stint's database and keys, the policy it serves, the CLI's
 * login and AWS profiles. {@code stint demo} uses a temporary directory, deleted when it stops;
 * {@code make run} with no identity provider configured keeps one ({@code --keep .stint-dev}), so
 * that requests, grants and the audit are still there after a restart. A kept home also remembers
 * the ports of the development IdP and CI issuer: their URLs are the issuers of the people and jobs
 * they sign, and a person is (issuer, subject), so a new port would make alice someone else.
 */
final class DemoHome {
  static final String IDP = "idp";
  static final String CI_ISSUER = "ci_issuer";
  private static final String PORTS = "ports.properties";

  private final Path dir;
  private final boolean kept;
  private final Properties ports = new Properties();

  private DemoHome(Path dir, boolean kept) {
    this.dir = dir;
    this.kept = kept;
  }

  /** A new temporary directory, deleted on {@link #close}. */
  static DemoHome temporary() throws IOException {
    return new DemoHome(Files.createTempDirectory("stint-demo-"), false);
  }

  /**
   * {@code dir}, created if absent, with the ports an earlier run remembered there; its own user's
   * only (0700, where the file system has POSIX permissions), as the temporary one is: it holds the
   * development database's passwords and keys.
   */
  static DemoHome kept(Path dir) throws IOException {
    Path absolute = Files.createDirectories(dir).toAbsolutePath().normalize();
    if (Files.getFileStore(absolute).supportsFileAttributeView(PosixFileAttributeView.class)) {
      Files.setPosixFilePermissions(absolute, PosixFilePermissions.fromString("rwx------"));
    }
    DemoHome home = new DemoHome(absolute, true);
    Path ports = absolute.resolve(PORTS);
    if (Files.isRegularFile(ports)) {
      try (InputStream in = Files.newInputStream(ports)) {
        home.ports.load(in);
      }
    }
    return home;
  }

  Path dir() {
    return dir;
  }

  /** Whether what the demo writes stays for the next run. */
  boolean kept() {
    return kept;
  }

  /** The port {@code name} listened on at an earlier run of a kept home, else 0 (any free one). */
  int port(String name) {
    String remembered = ports.getProperty(name);
    return remembered == null ? 0 : Integer.parseInt(remembered.strip());
  }

  /** Remembers {@code name}'s port for the next run (a kept home only). */
  void remember(String name, int port) throws IOException {
    if (!kept || port(name) == port) {
      return;
    }
    ports.setProperty(name, Integer.toString(port));
    try (OutputStream out = Files.newOutputStream(dir.resolve(PORTS))) {
      ports.store(out, "the ports of the demo's issuers, kept so that their people stay the same");
    }
  }

  /** What to say when a remembered port is taken: the issuer cannot move without its people. */
  String portTaken(String what, int port) {
    return what
        + "'s port "
        + port
        + " on 127.0.0.1 is in use. It is kept in "
        + dir.resolve(PORTS)
        + " because the people it signed in are known by its URL: stop what uses the port, or"
        + " delete "
        + dir
        + " to start over with an empty database";
  }

  /** Deletes a temporary home; a kept one stays as it is. */
  void close() {
    if (kept || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the demo directory " + dir, e);
    }
  }
}
