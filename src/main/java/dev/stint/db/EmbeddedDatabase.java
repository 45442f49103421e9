package dev.stint.db;

import dev.stint.config.DatabaseUrl;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Postgres server run by stint itself, with its files under {@code data_dir/postgres} so the data
 * survives restarts. For development and single-node use; production points {@code database.url} at
 * a managed or HA Postgres.
 *
 * <p>Nobody gets in without a password, not even another user of the same machine: the cluster is
 * created with scram-sha-256 for every connection and a random superuser password, it takes TCP on
 * 127.0.0.1 only and no Unix socket. Migrations run as {@code stint_owner}, which owns the {@code
 * stint} database and nothing else; the server serves requests as {@code stint}, which may only
 * read and write rows ({@link SchemaRoles}). Neither is a superuser. The passwords live in 0600
 * files in the 0700 data directory ({@link EmbeddedPasswords}). A data directory made before this
 * (trust for everyone) is secured in place on its first start ({@link LegacyCluster}).
 */
public final class EmbeddedDatabase implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabase.class);
  static final String DATABASE = "stint";
  static final String ROLE = "stint";
  static final String OWNER = "stint_owner";

  /**
   * What a cluster is for. A durable one (the server's) keeps Postgres's defaults for fsync, the
   * WAL and the SCRAM rounds a password is hashed with. A throwaway one (a test's, gone with its
   * run) turns fsync off, hashes with few rounds (every login costs its client the rounds, and a
   * test run logs in many thousand times, while the cluster still refuses anyone without the
   * password), and writes the least WAL: it is never replicated or recovered, and a database copied
   * from a template then writes no WAL of its pages, while a test run copies hundreds.
   */
  public enum Use {
    DURABLE,
    THROWAWAY
  }

  /** The SCRAM rounds of a throwaway cluster's passwords; Postgres's default is for a kept one. */
  static final int THROWAWAY_SCRAM_ROUNDS = 16;

  private final EmbeddedPostgres postgres;
  private final EmbeddedPasswords passwords;

  private EmbeddedDatabase(EmbeddedPostgres postgres, EmbeddedPasswords passwords) {
    this.postgres = postgres;
    this.passwords = passwords;
  }

  /**
   * Starts (initialising on first use) the embedded server under {@code dataDir}.
   *
   * @param use {@link Use#DURABLE} for the server's; {@link Use#THROWAWAY} only for tests' clusters
   */
  public static EmbeddedDatabase start(Path dataDir, Use use) throws IOException {
    Path pgData = dataDir.resolve("postgres");
    EmbeddedPasswords passwords = EmbeddedPasswords.in(dataDir);
    boolean fresh = !Files.exists(pgData.resolve("postgresql.conf"));
    // Not secured yet: made by an earlier version, or a start that stopped half-way. The
    // marker is written only once every step has succeeded, and each step may run again.
    boolean unsecured = !fresh && !passwords.secured();
    passwords.createIfMissing();
    Path logFile = dataDir.resolve("postgres.log");
    EmbeddedPostgres.Builder builder =
        EmbeddedPostgres.builder()
            .setDataDirectory(pgData)
            .setCleanDataDirectory(false)
            // stint stops Postgres itself, after in-flight requests finish (see app.Server).
            .setRegisterShutdownHook(false)
            .setPGStartupWait(Duration.ofSeconds(60))
            .setServerConfig("listen_addresses", "127.0.0.1")
            // No Unix socket: its directory would be one more way in to guard.
            .setServerConfig("unix_socket_directories", "")
            .setServerConfig("password_encryption", "scram-sha-256")
            // initdb takes these as --auth and --pwfile: every connection needs the password from
            // the first start on.
            .setLocaleConfig("auth", "scram-sha-256")
            .setLocaleConfig("pwfile", passwords.superuserFile().toString())
            .setOutputRedirector(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
            .setErrorRedirector(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
    // A cluster that still trusts everyone ignores the password; one secured needs it.
    builder.setConnectConfig("password", passwords.superuser());
    String onOff = use == Use.DURABLE ? "on" : "off";
    for (String setting : new String[] {"fsync", "synchronous_commit", "full_page_writes"}) {
      builder.setServerConfig(setting, onOff);
    }
    if (use == Use.THROWAWAY) {
      // initdb hashes the superuser's password with it too (its --set), the server the roles'.
      String rounds = "scram_iterations=" + THROWAWAY_SCRAM_ROUNDS;
      builder.setLocaleConfig("set", rounds);
      builder.setServerConfig("scram_iterations", String.valueOf(THROWAWAY_SCRAM_ROUNDS));
      builder.setServerConfig("wal_level", "minimal");
      builder.setServerConfig("max_wal_senders", "0");
      // Its WAL stays small, as a test cluster may live in memory.
      builder.setServerConfig("max_wal_size", "256MB");
    }
    EmbeddedPostgres postgres = builder.start();
    EmbeddedDatabase db = new EmbeddedDatabase(postgres, passwords);
    try {
      if (unsecured) {
        LegacyCluster.secure(pgData, db.superuser());
      }
      db.ensureRoles();
      db.createDatabaseIfMissing(DATABASE);
      passwords.markSecured();
    } catch (IOException | RuntimeException e) {
      postgres.close();
      throw e;
    }
    LOG.info(
        "embedded postgres started on 127.0.0.1:{} with data in {}", postgres.getPort(), pgData);
    return db;
  }

  /** The connection details of the stint database on this server, as the stint role. */
  public DatabaseUrl url() {
    return url(DATABASE);
  }

  /** Another database on this server, as the stint role (tests use one per class). */
  public DatabaseUrl url(String database) {
    return new DatabaseUrl(
        "127.0.0.1", postgres.getPort(), database, ROLE, passwords.stint(), Map.of());
  }

  /** Another database on this server as its owner: the role to run migrations as. */
  public DatabaseUrl ownerUrl(String database) {
    return new DatabaseUrl(
        "127.0.0.1", postgres.getPort(), database, OWNER, passwords.owner(), Map.of());
  }

  /** The stint database as its owner, for migrations. */
  public DatabaseUrl ownerUrl() {
    return ownerUrl(DATABASE);
  }

  /** A database on this server as the superuser: for tests that play a database administrator. */
  public DatabaseUrl superuserUrl(String database) {
    return new DatabaseUrl(
        "127.0.0.1", postgres.getPort(), database, Superuser.NAME, passwords.superuser(), Map.of());
  }

  /**
   * Creates a database owned by the owner role on this server unless it exists, and gives it the
   * roles' layout (moving one made by an earlier version to it).
   */
  public void createDatabaseIfMissing(String name) throws IOException {
    if (!name.matches("[a-z_][a-z0-9_]{0,62}")) {
      throw new IllegalArgumentException("bad database name " + name);
    }
    try (Connection c = superuser().connect("postgres");
        Statement s = c.createStatement()) {
      boolean exists;
      try (ResultSet rs =
          s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + name + "'")) {
        exists = rs.next();
      }
      if (!exists) {
        s.execute("CREATE DATABASE " + name + " OWNER " + OWNER);
      }
    } catch (SQLException e) {
      throw new IOException("could not create database " + name + ": " + e.getMessage(), e);
    }
    applyRoles(name);
  }

  private void applyRoles(String name) throws IOException {
    try (Connection c = superuser().connect(name)) {
      SchemaRoles.apply(c);
    } catch (SQLException e) {
      throw new IOException(
          "could not set the roles' rights in " + name + ": " + e.getMessage(), e);
    }
  }

  /** The owner and runtime roles, each with the password from its file and no rights beyond. */
  private void ensureRoles() throws IOException {
    try (Connection c = superuser().connect("postgres");
        Statement s = c.createStatement()) {
      ensureRole(s, OWNER, passwords.owner());
      ensureRole(s, ROLE, passwords.stint());
    } catch (SQLException e) {
      throw new IOException("could not set up the database roles: " + e.getMessage(), e);
    }
  }

  private static void ensureRole(Statement s, String role, String password) throws SQLException {
    boolean exists;
    try (ResultSet rs = s.executeQuery("SELECT 1 FROM pg_roles WHERE rolname = '" + role + "'")) {
      exists = rs.next();
    }
    String limits =
        " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS"
            + " PASSWORD '"
            + password
            + "'";
    s.execute((exists ? "ALTER ROLE " : "CREATE ROLE ") + role + limits);
  }

  private Superuser superuser() {
    return new Superuser(port(), passwords.superuser());
  }

  public int port() {
    return postgres.getPort();
  }

  @Override
  public void close() throws IOException {
    postgres.close();
    LOG.info("embedded postgres stopped");
  }
}
