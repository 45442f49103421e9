package dev.stint.testing;

import dev.stint.config.DatabaseUrl;
import dev.stint.db.EmbeddedDatabase;
import dev.stint.db.Migrations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * One embedded Postgres per test JVM (started on first use, stopped at JVM exit, or by the next
 * test JVM when this one was halted: {@link AbandonedPostgres}); each test class asks for its own
 * fresh, migrated database on it: a copy of one database migrated once per run, which Postgres
 * makes in a fraction of the time the migrations take.
 */
public final class TestPostgres {
  private static EmbeddedDatabase server;
  private static Path dir;
  private static String template;

  private TestPostgres() {}

  /** The shared server, started on first call. */
  public static synchronized EmbeddedDatabase server() {
    if (server == null) {
      try {
        Path root = Files.createDirectories(Path.of("target", "test-postgres"));
        AbandonedPostgres.reap(root);
        dir = Files.createDirectory(root.resolve(UUID.randomUUID().toString()));
        AbandonedPostgres.claim(dir);
        server = EmbeddedDatabase.start(dir, EmbeddedDatabase.Use.THROWAWAY);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Runtime.getRuntime().addShutdownHook(new Thread(TestPostgres::stop));
    }
    return server;
  }

  /** A new empty database on the shared server, not yet migrated. */
  public static DatabaseUrl emptyDatabase() {
    String name = newName();
    try {
      server().createDatabaseIfMissing(name);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return server().url(name);
  }

  /** A new database with stint's schema, copied from the one migrated for the run. */
  public static DatabaseUrl migratedDatabase() {
    String name = newName();
    String from = template();
    try (Connection c = AuditTables.connect(server().superuserUrl("postgres"));
        Statement s = c.createStatement()) {
      // Copying needs the template to have no sessions; copies made one at a time never race.
      synchronized (TestPostgres.class) {
        s.execute(
            "CREATE DATABASE "
                + name
                + " TEMPLATE "
                + from
                + " OWNER "
                + server().ownerUrl(name).user());
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not copy the migrated database: " + e.getMessage(), e);
    }
    return server().url(name);
  }

  /** The database migrated once for the run, which every migrated database is copied from. */
  private static synchronized String template() {
    if (template == null) {
      DatabaseUrl url = emptyDatabase();
      Migrations.migrate(server().ownerUrl(url.database()));
      template = url.database();
    }
    return template;
  }

  private static String newName() {
    return "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
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

  /**
   * Stops the server at exit and leaves its data directory to the next test JVM's reaper ({@link
   * AbandonedPostgres}: its owner is gone by then). Deleting thousands of database files here could
   * outlast the time surefire gives a fork to exit on a loaded host, and surefire then kills it.
   */
  private static synchronized void stop() {
    try {
      server.close();
    } catch (IOException ignored) {
      // best effort at exit; the reaper stops a server that is left running
    }
  }

  /** Deletes a tree; another JVM deleting it at the same time is an IOException, not a crash. */
  public static void deleteTree(Path root) throws IOException {
    if (root == null || !Files.exists(root)) {
      return;
    }
    List<Path> paths;
    try (Stream<Path> walked = Files.walk(root)) {
      paths = walked.sorted(Comparator.reverseOrder()).toList();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    for (Path p : paths) {
      Files.deleteIfExists(p);
    }
  }
}
