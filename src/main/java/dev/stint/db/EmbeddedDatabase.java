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
 * A Postgres server run by stint itself, with its files under {@code data_dir/postgres} so the
 * data survives restarts. For development and single-node use; production points
 * {@code database.url} at a managed or HA Postgres.
 */
public final class EmbeddedDatabase implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabase.class);
  static final String DATABASE = "stint";

  private final EmbeddedPostgres postgres;

  private EmbeddedDatabase(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  /**
   * Starts (initialising on first use) the embedded server under {@code dataDir}.
   *
   * @param durable fsync and synchronous commit on; off only for throwaway test databases
   */
  public static EmbeddedDatabase start(Path dataDir, boolean durable) throws IOException {
    Path pgData = dataDir.resolve("postgres");
    Files.createDirectories(dataDir);
    Path logFile = dataDir.resolve("postgres.log");
    EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
        .setDataDirectory(pgData)
        .setCleanDataDirectory(false)
        // stint stops Postgres itself, after in-flight requests finish (see app.Server).
        .setRegisterShutdownHook(false)
        .setPGStartupWait(Duration.ofSeconds(60))
        .setServerConfig("listen_addresses", "127.0.0.1")
        .setOutputRedirector(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
        .setErrorRedirector(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
    String onOff = durable ? "on" : "off";
    for (String setting : new String[] {"fsync", "synchronous_commit", "full_page_writes"}) {
      builder.setServerConfig(setting, onOff);
    }
    EmbeddedPostgres postgres = builder.start();
    EmbeddedDatabase db = new EmbeddedDatabase(postgres);
    db.createDatabaseIfMissing(DATABASE);
    LOG.info("embedded postgres started on 127.0.0.1:{} with data in {}", postgres.getPort(), pgData);
    return db;
  }

  /** The connection details of the stint database on this server. */
  public DatabaseUrl url() {
    return url(DATABASE);
  }

  /** The connection details of another database on this server (tests use one per class). */
  public DatabaseUrl url(String database) {
    return new DatabaseUrl("127.0.0.1", postgres.getPort(), database, "postgres", "", Map.of());
  }

  /** Creates a database on this server unless it exists. */
  public void createDatabaseIfMissing(String name) throws IOException {
    if (!name.matches("[a-z_][a-z0-9_]{0,62}")) {
      throw new IllegalArgumentException("bad database name " + name);
    }
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery(
          "SELECT 1 FROM pg_database WHERE datname = '" + name + "'")) {
        if (rs.next()) {
          return;
        }
      }
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IOException("could not create database " + name + ": " + e.getMessage(), e);
    }
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
