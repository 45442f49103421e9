package dev.stint.db;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A data directory created before the embedded server required passwords: its pg_hba.conf
 * trusts every local connection and everything belongs to {@code postgres}. It is secured in
 * place, keeping every row: the superuser gets its password and pg_hba.conf is rewritten to
 * scram-sha-256 and reloaded; the stint database and everything in it then move to
 * {@code stint_owner} ({@link SchemaRoles}). Between the start and the reload (about a second, once) the old trust still holds;
 * any session other than this one is then ended, so none outlives it.
 */
final class LegacyCluster {
  private static final Logger LOG = LoggerFactory.getLogger(LegacyCluster.class);
  static final String HBA = """
      # Written by stint: every connection needs a password (scram-sha-256), TCP on loopback only.
      host all all 127.0.0.1/32 scram-sha-256
      host all all ::1/128 scram-sha-256
      """;

  private LegacyCluster() {}

  static void secure(Path pgData, int port, EmbeddedPasswords passwords) throws IOException {
    LOG.warn("securing an embedded database created without passwords ({}); its data is kept",
        pgData);
    try (Connection c = trusted(port, "postgres"); Statement s = c.createStatement()) {
      s.execute("ALTER ROLE postgres PASSWORD '" + passwords.superuser() + "'");
      Files.writeString(pgData.resolve("pg_hba.conf"), HBA);
      s.execute("SELECT pg_reload_conf()");
      s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
          + " WHERE pid <> pg_backend_pid() AND backend_type = 'client backend'");
    } catch (SQLException e) {
      throw new IOException("could not secure the embedded database: " + e.getMessage(), e);
    }
  }

  /** The one password-less connection stint ever makes, to a cluster that still trusts all. */
  private static Connection trusted(int port, String database) throws SQLException {
    return java.sql.DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=postgres");
  }
}
