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
 * place, keeping every row: the superuser gets its password, the stint database and everything
 * in it move to the {@code stint} role, and pg_hba.conf is rewritten to scram-sha-256 and
 * reloaded. Between the start and the reload (about a second, once) the old trust still holds;
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
      s.execute("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'stint')"
          + " THEN CREATE ROLE stint LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION"
          + " NOBYPASSRLS; END IF; END $$");
      boolean hasStint;
      try (var rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = 'stint'")) {
        hasStint = rs.next();
      }
      if (hasStint) {
        s.execute("ALTER DATABASE stint OWNER TO stint");
      }
      Files.writeString(pgData.resolve("pg_hba.conf"), HBA);
      s.execute("SELECT pg_reload_conf()");
      s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
          + " WHERE pid <> pg_backend_pid() AND backend_type = 'client backend'");
      if (hasStint) {
        handOver(port, passwords);
      }
    } catch (SQLException e) {
      throw new IOException("could not secure the embedded database: " + e.getMessage(), e);
    }
  }

  /** Everything in the stint database that postgres owns moves to the stint role. */
  private static void handOver(int port, EmbeddedPasswords passwords) throws SQLException {
    try (Connection c = EmbeddedDatabase.connect(port, "stint", passwords.superuser());
        Statement s = c.createStatement()) {
      s.execute("""
          DO $$ DECLARE o record; BEGIN
            FOR o IN SELECT c.relname, c.relkind FROM pg_class c
                JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm')
                AND pg_get_userbyid(c.relowner) = 'postgres' LOOP
              EXECUTE format(CASE o.relkind WHEN 'v' THEN 'ALTER VIEW %I OWNER TO stint'
                  WHEN 'm' THEN 'ALTER MATERIALIZED VIEW %I OWNER TO stint'
                  ELSE 'ALTER TABLE %I OWNER TO stint' END, o.relname);
            END LOOP;
            -- Sequences that belong to a table moved with it; these are the free-standing ones.
            FOR o IN SELECT c.relname FROM pg_class c
                JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = 'public' AND c.relkind = 'S'
                AND pg_get_userbyid(c.relowner) = 'postgres' LOOP
              EXECUTE format('ALTER SEQUENCE %I OWNER TO stint', o.relname);
            END LOOP;
            FOR o IN SELECT p.oid::regprocedure AS sig FROM pg_proc p
                JOIN pg_namespace n ON n.oid = p.pronamespace
                WHERE n.nspname = 'public' AND pg_get_userbyid(p.proowner) = 'postgres' LOOP
              EXECUTE format('ALTER ROUTINE %s OWNER TO stint', o.sig);
            END LOOP;
          END $$""");
      s.execute("GRANT ALL ON SCHEMA public TO stint");
    }
  }

  /** The one password-less connection stint ever makes, to a cluster that still trusts all. */
  private static Connection trusted(int port, String database) throws SQLException {
    return java.sql.DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=postgres");
  }
}
