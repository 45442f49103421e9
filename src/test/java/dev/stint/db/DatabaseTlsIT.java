package dev.stint.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stint.config.DatabaseUrl;
import dev.stint.testing.AuditTables;
import dev.stint.testing.TestPostgres;
import io.vertx.core.Vertx;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * stint's pool to a Postgres that speaks TLS with a certificate from a CA of the test's own (made
 * with openssl, for 127.0.0.1): {@code sslmode=verify-full} with that CA as {@code sslrootcert}
 * connects, and refuses a server its CA did not sign. The shipped Kubernetes configuration asks for
 * {@code verify-full}; without {@code sslrootcert} the client could not connect at all.
 */
class DatabaseTlsIT {
  static Path dir;
  static EmbeddedPostgres postgres;
  static Vertx vertx;

  @BeforeAll
  static void start() throws Exception {
    dir = Files.createTempDirectory("stint-tls");
    openssl(
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "2",
        "-subj",
        "/CN=test-ca",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem");
    openssl(
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "2",
        "-subj",
        "/CN=other-ca",
        "-keyout",
        "other.key",
        "-out",
        "other.pem");
    server("server", "IP:127.0.0.1");
    Files.setPosixFilePermissions(
        dir.resolve("server.key"), PosixFilePermissions.fromString("rw-------"));
    postgres =
        EmbeddedPostgres.builder()
            .setDataDirectory(dir.resolve("pg"))
            .setRegisterShutdownHook(false)
            .setPGStartupWait(Duration.ofSeconds(60))
            .setServerConfig("listen_addresses", "127.0.0.1")
            // TCP only: a unix socket in /tmp outlives a killed server, and a later server given
            // the same port number would be taken for reachable without a password.
            .setServerConfig("unix_socket_directories", "")
            .setServerConfig("ssl", "on")
            .setServerConfig("ssl_cert_file", dir.resolve("server.pem").toString())
            .setServerConfig("ssl_key_file", dir.resolve("server.key").toString())
            .setOutputRedirector(ProcessBuilder.Redirect.DISCARD)
            .setErrorRedirector(ProcessBuilder.Redirect.DISCARD)
            .start();
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    if (vertx != null) {
      AuditTables.await(vertx.close());
    }
    if (postgres != null) {
      postgres.close();
    }
    TestPostgres.deleteTree(dir);
  }

  /** A server certificate signed by the test CA, naming {@code san}. */
  static void server(String name, String san) throws Exception {
    openssl(
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-subj",
        "/CN=" + name,
        "-keyout",
        name + ".key",
        "-out",
        name + ".csr");
    Files.writeString(dir.resolve(name + ".ext"), "subjectAltName=" + san + "\n");
    openssl(
        "x509",
        "-req",
        "-in",
        name + ".csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-days",
        "2",
        "-extfile",
        name + ".ext",
        "-out",
        name + ".pem");
  }

  static void openssl(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    Process p =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as(out).isZero();
  }

  static String ping(String params) throws Exception {
    DatabaseUrl url =
        DatabaseUrl.parse(
            "postgresql://postgres@127.0.0.1:" + postgres.getPort() + "/postgres?" + params);
    Database db = Database.connect(vertx, url, 1);
    try {
      return AuditTables.await(
              db.pool()
                  .query("SELECT ssl::text FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
                  .execute())
          .iterator()
          .next()
          .getString(0);
    } finally {
      db.close();
    }
  }

  @Test
  void verifyFullWithTheServersCaConnectsOverTls() throws Exception {
    assertThat(ping("sslmode=verify-full&sslrootcert=" + dir.resolve("ca.pem"))).isEqualTo("true");
    assertThat(ping("sslmode=verify-ca&sslrootcert=" + dir.resolve("ca.pem"))).isEqualTo("true");
  }

  @Test
  void aServerAnotherCaSignedIsRefused() {
    assertThatThrownBy(() -> ping("sslmode=verify-full&sslrootcert=" + dir.resolve("other.pem")))
        .hasStackTraceContaining("SSL handshake failed");
  }

  @Test
  void verifyFullWithoutACaIsRefusedBeforeAnyConnection() {
    assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://u@h/d?sslmode=verify-full"))
        .hasMessageContaining("sslmode=verify-full needs sslrootcert=FILE");
    assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://u@h/d?sslmode=verify-everything"))
        .hasMessageContaining("sslmode must be one of");
  }
}
