package dev.stint.db;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A data directory created before the embedded server required passwords: its pg_hba.conf trusts
 * every local connection and everything belongs to {@code postgres}. It is secured in place,
 * keeping every row: the superuser gets its password and pg_hba.conf is rewritten to scram-sha-256
 * and reloaded; the stint database and everything in it then move to {@code stint_owner} ({@link
 * SchemaRoles}). Between the start and the reload (about a second, once) the old trust still holds;
 * any session other than this one is then ended, so none outlives it. Every step may run again: a
 * start that stops half-way leaves the directory unsecured, and the next start repeats it.
 */
final class LegacyCluster {
  private static final Logger LOG = LoggerFactory.getLogger(LegacyCluster.class);
  static final String HBA =
      """
      # Written by stint: every connection needs a password (scram-sha-256), TCP on loopback only.
      host all all 127.0.0.1/32 scram-sha-256
      host all all ::1/128 scram-sha-256
      """;

  private LegacyCluster() {}

  static void secure(Path pgData, Superuser superuser) throws IOException {
    LOG.warn(
        "securing an embedded database created without passwords ({}); its data is kept", pgData);
    try (Connection c = superuser.connect("postgres");
        Statement s = c.createStatement()) {
      boolean hasStint = exists(s, "SELECT 1 FROM pg_database WHERE datname = 'stint'");
      refuseWhatOthersMayHavePlanted(s, superuser, hasStint);
      s.execute("ALTER ROLE postgres PASSWORD '" + superuser.password() + "'");
      // Memberships would lend stint's roles another role's rights; settings written with
      // ALTER SYSTEM (an archive_command, say) would run as the server's OS user.
      s.execute(
          "DO $$ DECLARE r record; BEGIN FOR r IN SELECT g.rolname, u.rolname AS member"
              + " FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid"
              + " JOIN pg_roles u ON u.oid = m.member WHERE u.rolname IN ('stint', 'stint_owner')"
              + " LOOP EXECUTE format('REVOKE %I FROM %I', r.rolname, r.member); END LOOP; END $$");
      s.execute("ALTER SYSTEM RESET ALL");
      Files.writeString(pgData.resolve("pg_hba.conf"), HBA);
      s.execute("SELECT pg_reload_conf()");
      s.execute(
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
              + " WHERE pid <> pg_backend_pid() AND backend_type = 'client backend'");
    } catch (SQLException e) {
      throw new IOException("could not secure the embedded database: " + e.getMessage(), e);
    }
  }

  /**
   * While the cluster trusted everyone, any local user could have added a superuser or a login role
   * of their own, or an event trigger that runs on stint's statements. Those would survive a
   * password, so the server refuses to start and names them; an operator who made them on purpose
   * removes or keeps them knowingly (with a database of their own via database.url).
   */
  private static void refuseWhatOthersMayHavePlanted(
      Statement s, Superuser superuser, boolean hasStint) throws SQLException, IOException {
    List<String> found = new ArrayList<>();
    try (ResultSet rs =
        s.executeQuery(
            "SELECT rolname FROM pg_roles WHERE rolname NOT IN"
                + " ('postgres', 'stint', 'stint_owner') AND rolname NOT LIKE 'pg\\_%'"
                + " AND (rolsuper OR rolcanlogin)")) {
      while (rs.next()) {
        found.add("role " + rs.getString(1));
      }
    }
    if (hasStint) {
      try (Connection c = superuser.connect("stint");
          Statement t = c.createStatement();
          ResultSet rs = t.executeQuery("SELECT evtname FROM pg_event_trigger")) {
        while (rs.next()) {
          found.add("event trigger " + rs.getString(1));
        }
      }
    }
    if (!found.isEmpty()) {
      throw new IOException(
          "the embedded database trusted every local user until now, and it"
              + " holds what stint did not make: "
              + String.join(", ", found)
              + ". Inspect and"
              + " remove them (psql -h 127.0.0.1 -U postgres), or move the data elsewhere,"
              + " before starting stint on it");
    }
  }

  private static boolean exists(Statement s, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      return rs.next();
    }
  }
}
