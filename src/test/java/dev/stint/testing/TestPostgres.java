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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * One embedded Postgres per test JVM (started on first use, stopped and removed at JVM exit, or by
 * the next test JVM when this one was halted: {@link AbandonedPostgres}); each test class asks for
 * its own fresh, migrated database on it: a copy of one database migrated once per run, which
 * Postgres makes in a fraction of the time the migrations take. A class's databases are dropped
 * when the class ends ({@link ClassDatabases}).
 *
 * <p>The cluster lives in memory when there is room ({@link ClusterRoot}).
 */
public final class TestPostgres {
  private static EmbeddedDatabase server;
  private static Path dir;
  private static String template;
  private static Connection admin;

  /** How long a check that the kept superuser session still answers may take. */
  private static final int ADMIN_CHECK_SECONDS = 5;

  /** The databases made for the running test class, dropped when it ends. */
  private static final List<String> CLASS_DATABASES = new ArrayList<>();

  private TestPostgres() {}

  /** The shared server, started on first call. */
  public static synchronized EmbeddedDatabase server() {
    if (server == null) {
      try {
        Path root = Files.createDirectories(ClusterRoot.choose());
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

  /** A new empty database on the shared server, not yet migrated; dropped when its class ends. */
  public static DatabaseUrl emptyDatabase() {
    return forThisClass(createEmpty());
  }

  private static DatabaseUrl createEmpty() {
    String name = newName();
    try {
      server().createDatabaseIfMissing(name);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return server().url(name);
  }

  /**
   * A new database with stint's schema, copied from the one migrated for the run; dropped when its
   * class ends.
   */
  public static DatabaseUrl migratedDatabase() {
    String name = newName();
    String from = template();
    // Copying needs the template to have no sessions; copies made one at a time never race.
    // FILE_COPY copies the template's files whole; the default strategy reads and writes every
    // page through shared buffers, which cost Postgres several times the CPU per copy.
    synchronized (TestPostgres.class) {
      try (Statement s = admin().createStatement()) {
        s.execute(
            "CREATE DATABASE "
                + name
                + " TEMPLATE "
                + from
                + " STRATEGY FILE_COPY OWNER "
                + server().ownerUrl(name).user());
      } catch (SQLException e) {
        throw new IllegalStateException(
            "could not copy the migrated database: " + e.getMessage(), e);
      }
    }
    return forThisClass(server().url(name));
  }

  private static synchronized DatabaseUrl forThisClass(DatabaseUrl url) {
    CLASS_DATABASES.add(url.database());
    return url;
  }

  /**
   * Drops the databases made since the last call, with any session still on them: called when a
   * test class ends, whose servers have stopped by then. A run that kept every class's database
   * made gigabytes of files that nothing read again.
   */
  static synchronized void dropClassDatabases() {
    ClassSessions.closeAll();
    if (CLASS_DATABASES.isEmpty()) {
      return;
    }
    try (Statement s = admin().createStatement()) {
      for (String name : CLASS_DATABASES) {
        s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
      }
    } catch (SQLException e) {
      throw new IllegalStateException(
          "could not drop a test class's database: " + e.getMessage(), e);
    } finally {
      CLASS_DATABASES.clear();
    }
  }

  /**
   * Whether {@code url} reaches a database the running class made, on the shared server itself (not
   * through a proxy in front of it), as any role.
   */
  static synchronized boolean isClassDatabase(DatabaseUrl url) {
    return server != null
        && CLASS_DATABASES.contains(url.database())
        && url.port() == server.port()
        && url.host().equals(server.url(url.database()).host());
  }

  /**
   * The superuser's session on the postgres database that copies and drops the classes' databases,
   * kept for the JVM's life: each new session is a new Postgres process, which cost Postgres about
   * as much CPU as a copy.
   */
  static synchronized Connection admin() throws SQLException {
    if (admin == null || !admin.isValid(ADMIN_CHECK_SECONDS)) {
      closeAdmin();
      admin = AuditTables.connect(server().superuserUrl("postgres"));
    }
    return admin;
  }

  private static synchronized void closeAdmin() {
    if (admin == null) {
      return;
    }
    try {
      admin.close();
    } catch (SQLException ignored) {
      // a session that no longer answers has nothing left to close
    }
    admin = null;
  }

  /** The database migrated once for the run, which every migrated database is copied from. */
  private static synchronized String template() {
    if (template == null) {
      DatabaseUrl url = createEmpty();
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
   * Stops the server at exit and removes its directory, which holds only the template and the last
   * class's databases; a JVM halted before this leaves it to the next one's {@link
   * AbandonedPostgres}.
   */
  private static synchronized void stop() {
    closeAdmin();
    try {
      server.close();
      deleteTree(dir);
    } catch (IOException ignored) {
      // best effort at exit; the reaper stops a server that is left running and removes it
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
