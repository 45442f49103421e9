package dev.stint.testing;

import dev.stint.config.DatabaseUrl;
import dev.stint.db.EmbeddedDatabase;
import dev.stint.db.Migrations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * One embedded Postgres for the whole test run (started on first use, stopped at JVM exit);
 * each test class asks for its own fresh, migrated database on it.
 */
public final class TestPostgres {
  private static EmbeddedDatabase server;
  private static Path dir;

  private TestPostgres() {}

  /** The shared server, started on first call. */
  public static synchronized EmbeddedDatabase server() {
    if (server == null) {
      try {
        dir = Files.createDirectories(Path.of("target", "test-postgres"))
            .resolve(UUID.randomUUID().toString());
        server = EmbeddedDatabase.start(dir, false);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Runtime.getRuntime().addShutdownHook(new Thread(TestPostgres::stop));
    }
    return server;
  }

  /** A new empty database on the shared server, not yet migrated. */
  public static DatabaseUrl emptyDatabase() {
    String name = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    try {
      server().createDatabaseIfMissing(name);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return server().url(name);
  }

  /** A new database with stint's schema. */
  public static DatabaseUrl migratedDatabase() {
    DatabaseUrl url = emptyDatabase();
    Migrations.migrate(server().ownerUrl(url.database()));
    return url;
  }

  /**
   * The same database as {@code url} (one on the shared server) as its owner: what a deployment
   * with its own Postgres gives stint, a user that owns the schema and runs the migrations.
   */
  public static DatabaseUrl asOwner(DatabaseUrl url) {
    return server().ownerUrl(url.database());
  }

  /**
   * The same database as {@code url} (one on the shared server) as the superuser: for tests that
   * play someone with more rights than stint's own roles, such as an attacker rewriting history.
   */
  public static DatabaseUrl asSuperuser(DatabaseUrl url) {
    return server().superuserUrl(url.database());
  }

  private static synchronized void stop() {
    try {
      server.close();
      deleteTree(dir);
    } catch (IOException ignored) {
      // best effort at exit; target/ is disposable
    }
  }

  public static void deleteTree(Path root) throws IOException {
    if (root == null || !Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
