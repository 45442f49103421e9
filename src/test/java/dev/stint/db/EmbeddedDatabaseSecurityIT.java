package dev.stint.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stint.config.DatabaseUrl;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded database lets nobody in without a password — not another OS user of the machine, who
 * could otherwise connect as superuser, approve themselves a grant or switch the audit triggers off
 * — and stint's own role is no superuser. A data directory made by earlier versions (trust for
 * everyone) is secured on its next start with every row kept.
 */
class EmbeddedDatabaseSecurityIT {

  static Connection connect(int port, String db, String user, String password) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", user);
    if (password != null) {
      p.setProperty("password", password);
    }
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + db, p);
  }

  static void assertNoWayInWithoutThePassword(int port) {
    // No Unix socket anywhere a client would look for one: TCP with a password is the only way.
    for (String socketDir : new String[] {"/tmp", "/var/run/postgresql", "/run/postgresql"}) {
      assertThat(Path.of(socketDir, ".s.PGSQL." + port))
          .as("unix socket in " + socketDir)
          .doesNotExist();
    }
    for (String user : new String[] {"postgres", "stint"}) {
      assertThatThrownBy(() -> connect(port, "stint", user, null).close())
          .as("no password, as " + user)
          .isInstanceOf(SQLException.class);
      assertThatThrownBy(() -> connect(port, "stint", user, "guess").close())
          .as("a wrong password, as " + user)
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("password authentication failed");
    }
  }

  static void assertStintIsNoSuperuser(DatabaseUrl url) throws SQLException {
    try (Connection c = connect(url.port(), url.database(), url.user(), url.password());
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT rolsuper, rolcreaterole, rolcreatedb, rolbypassrls"
                    + " FROM pg_roles WHERE rolname = current_user")) {
      assertThat(url.user()).isEqualTo("stint");
      assertThat(rs.next()).isTrue();
      for (int i = 1; i <= 4; i++) {
        assertThat(rs.getBoolean(i)).as("privilege column " + i).isFalse();
      }
    }
  }

  /** The server's own kind of cluster, as {@code stint serve} makes it. */
  @Test
  void aNewDataDirectoryNeedsPasswordsAndKeepsThemToItsOwner(@TempDir Path dir) throws Exception {
    try (EmbeddedDatabase db =
        EmbeddedDatabase.start(dir.resolve("data"), EmbeddedDatabase.Use.DURABLE)) {
      assertNoWayInWithoutThePassword(db.port());
      assertStintIsNoSuperuser(db.url());
      Migrations.migrate(db.ownerUrl());
    }
    Path data = dir.resolve("data");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data)))
        .isEqualTo("rwx------");
    for (String f : new String[] {"postgres-superuser.password", "postgres-stint.password"}) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve(f))))
          .as(f)
          .isEqualTo("rw-------");
    }
  }

  @Test
  void theStintRoleCannotRaiseItselfNorEmptyTheAuditLog(@TempDir Path dir) throws Exception {
    try (EmbeddedDatabase db =
        EmbeddedDatabase.start(dir.resolve("data"), EmbeddedDatabase.Use.THROWAWAY)) {
      Migrations.migrate(db.ownerUrl());
      DatabaseUrl u = db.url();
      try (Connection c = connect(u.port(), u.database(), u.user(), u.password());
          Statement s = c.createStatement()) {
        assertThatThrownBy(() -> s.execute("TRUNCATE audit_events"))
            .isInstanceOf(SQLException.class);
        assertThatThrownBy(() -> s.execute("ALTER ROLE stint SUPERUSER"))
            .isInstanceOf(SQLException.class);
        assertThatThrownBy(() -> s.execute("CREATE ROLE backdoor LOGIN PASSWORD 'x'"))
            .isInstanceOf(SQLException.class);
      }
    }
  }

  /** What a stolen runtime connection would try first: switch the guards off, then rewrite. */
  static void assertStintCannotRewriteTheAudit(DatabaseUrl u) throws SQLException {
    try (Connection c = connect(u.port(), u.database(), u.user(), u.password());
        Statement s = c.createStatement()) {
      // The next seq after the chain head: any other is refused (V17).
      s.execute(
          "INSERT INTO audit_events (seq, event_id, occurred_at, type, actor_subject,"
              + " prev_hash, hash) SELECT seq + 1, gen_random_uuid(), now(), 'probe', 'probe', hash,"
              + " 'y' FROM audit_chain_head");
      String month = "audit_events_" + YearMonth.now(ZoneOffset.UTC).toString().replace('-', '_');
      // Only a warning (a non-owner grants nothing); the UPDATE and DELETE below stay refused.
      s.execute("GRANT UPDATE, DELETE ON audit_events TO stint");
      for (String sql :
          new String[] {
            "ALTER TABLE audit_events DISABLE TRIGGER ALL",
            "DROP TRIGGER audit_events_no_update_delete ON audit_events",
            "DROP TABLE audit_events",
            "ALTER TABLE audit_events OWNER TO stint",
            "CREATE OR REPLACE FUNCTION audit_events_refuse_change() RETURNS trigger"
                + " LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$",
            "UPDATE audit_events SET actor_subject = 'mallory'",
            "DELETE FROM audit_events",
            "TRUNCATE audit_events",
            "UPDATE " + month + " SET actor_subject = 'mallory'",
            "DELETE FROM " + month,
            "TRUNCATE " + month,
            "ALTER TABLE " + month + " DISABLE TRIGGER ALL",
            "ALTER TABLE audit_events DETACH PARTITION " + month,
            "DROP TABLE " + month,
            "UPDATE audit_chain_head SET seq = 0",
            "CREATE TABLE planted (v text)"
          }) {
        assertThatThrownBy(() -> s.execute(sql)).as(sql).isInstanceOf(SQLException.class);
      }
      try (ResultSet rs =
          s.executeQuery("SELECT count(*) FROM audit_events" + " WHERE actor_subject = 'probe'")) {
        rs.next();
        assertThat(rs.getLong(1)).as("the probe row is still there, unchanged").isEqualTo(1);
      }
    }
  }

  @Test
  void theStintRoleCannotSwitchOffTheAuditGuards(@TempDir Path dir) throws Exception {
    try (EmbeddedDatabase db =
        EmbeddedDatabase.start(dir.resolve("data"), EmbeddedDatabase.Use.THROWAWAY)) {
      Migrations.migrate(db.ownerUrl());
      assertStintCannotRewriteTheAudit(db.url());
    }
  }

  @Test
  void aDatabaseThatTheRuntimeRoleOwnedMovesToTheOwner(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("data");
    try (EmbeddedDatabase db = EmbeddedDatabase.start(data, EmbeddedDatabase.Use.THROWAWAY)) {
      Migrations.migrate(db.ownerUrl());
      // The layout of the first password-protected version: stint owned its database and tables.
      DatabaseUrl su = db.superuserUrl("stint");
      try (Connection c = connect(su.port(), "stint", su.user(), su.password());
          Statement s = c.createStatement()) {
        s.execute("REASSIGN OWNED BY stint_owner TO stint");
        s.execute("GRANT ALL ON SCHEMA public TO stint");
      }
      DatabaseUrl u = db.url();
      try (Connection c = connect(u.port(), u.database(), u.user(), u.password());
          Statement s = c.createStatement()) {
        s.execute("CREATE TABLE kept (v text)");
        s.execute("INSERT INTO kept VALUES ('still here')");
        s.execute("ALTER TABLE audit_events DISABLE TRIGGER ALL");
        s.execute("ALTER TABLE audit_events ENABLE TRIGGER ALL");
      }
    }

    try (EmbeddedDatabase db = EmbeddedDatabase.start(data, EmbeddedDatabase.Use.THROWAWAY)) {
      Migrations.migrate(db.ownerUrl());
      assertNoWayInWithoutThePassword(db.port());
      assertStintIsNoSuperuser(db.url());
      assertStintCannotRewriteTheAudit(db.url());
      assertRowsKeptAndOwnedByTheOwner(db.url());
    }
  }

  /** The row an earlier layout held is still there, and every object now has the owner role. */
  static void assertRowsKeptAndOwnedByTheOwner(DatabaseUrl u) throws SQLException {
    try (Connection c = connect(u.port(), u.database(), u.user(), u.password());
        Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT v FROM kept")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("still here");
      }
      try (ResultSet rs =
          s.executeQuery(
              "SELECT count(*) FROM pg_class c"
                  + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'"
                  + " AND pg_get_userbyid(c.relowner) <> 'stint_owner'")) {
        rs.next();
        assertThat(rs.getLong(1)).as("objects not owned by stint_owner").isZero();
      }
    }
  }

  /** What earlier versions made: initdb with trust, everything owned by postgres. */
  static void oldStyleDataDirectory(Path data, String... extraSql) throws Exception {
    Files.createDirectories(data);
    try (EmbeddedPostgres old =
        EmbeddedPostgres.builder()
            .setDataDirectory(data.resolve("postgres"))
            .setCleanDataDirectory(false)
            .setPGStartupWait(Duration.ofSeconds(60))
            .setServerConfig("listen_addresses", "127.0.0.1")
            .start()) {
      try (Connection c = connect(old.getPort(), "postgres", "postgres", null);
          Statement s = c.createStatement()) {
        s.execute("CREATE DATABASE stint");
      }
      Migrations.migrate(
          new DatabaseUrl("127.0.0.1", old.getPort(), "stint", "postgres", "", Map.of()));
      try (Connection c = connect(old.getPort(), "stint", "postgres", null);
          Statement s = c.createStatement()) {
        s.execute("CREATE TABLE kept (v text)");
        s.execute("INSERT INTO kept VALUES ('still here')");
        for (String sql : extraSql) {
          s.execute(sql);
        }
      }
    }
  }

  @Test
  void aDataDirectoryFromBeforeWithARoleSomeonePlantedIsNotStarted(@TempDir Path dir)
      throws Exception {
    Path data = dir.resolve("data");
    oldStyleDataDirectory(data, "CREATE ROLE intruder SUPERUSER LOGIN PASSWORD 'planted-pw'");
    assertThatThrownBy(() -> EmbeddedDatabase.start(data, EmbeddedDatabase.Use.THROWAWAY).close())
        .hasMessageContaining("role intruder");
  }

  @Test
  void aSecuringThatStoppedHalfWayIsRepeatedOnTheNextStart(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("data");
    oldStyleDataDirectory(data);
    EmbeddedDatabase.start(data, EmbeddedDatabase.Use.THROWAWAY).close();
    // As if the first start had stopped before its last step.
    Files.delete(data.resolve("postgres-secured"));
    try (EmbeddedDatabase db = EmbeddedDatabase.start(data, EmbeddedDatabase.Use.THROWAWAY)) {
      assertNoWayInWithoutThePassword(db.port());
      assertStintIsNoSuperuser(db.url());
    }
    assertThat(data.resolve("postgres-secured")).exists();
  }

  @Test
  void aDataDirectoryFromBeforeIsSecuredAndKeepsItsRows(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("data");
    oldStyleDataDirectory(data);

    try (EmbeddedDatabase db = EmbeddedDatabase.start(data, EmbeddedDatabase.Use.THROWAWAY)) {
      assertNoWayInWithoutThePassword(db.port());
      assertStintIsNoSuperuser(db.url());
      assertRowsKeptAndOwnedByTheOwner(db.url());
      Migrations.migrate(db.ownerUrl());
      assertStintCannotRewriteTheAudit(db.url());
    }
    // A second start finds it secured and starts as usual.
    try (EmbeddedDatabase db = EmbeddedDatabase.start(data, EmbeddedDatabase.Use.THROWAWAY)) {
      assertNoWayInWithoutThePassword(db.port());
    }
  }
}
