package dev.stint.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stint.config.DatabaseUrl;
import dev.stint.testing.TestPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MigrationsTest {
  DatabaseUrl url;

  /** As the schema's owner: the role migrations run as, and the one the triggers must stop. */
  @BeforeEach
  void freshDatabase() {
    url = TestPostgres.server().ownerUrl(TestPostgres.emptyDatabase().database());
  }

  private Connection connect() throws SQLException {
    return DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
  }

  @Test
  void migratesAFreshDatabaseThenIsIdempotent() throws SQLException {
    assertThat(Migrations.migrate(url)).isGreaterThanOrEqualTo(1);
    assertThat(Migrations.migrate(url)).isZero();
    List<String> tables = new ArrayList<>();
    try (Connection c = connect();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")) {
      while (rs.next()) {
        tables.add(rs.getString(1));
      }
    }
    assertThat(tables).contains("access_requests", "approvals", "grants", "audit_events");
  }

  @Test
  void auditEventsAreAppendOnly() throws SQLException {
    Migrations.migrate(url);
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      s.executeUpdate(
          """
          INSERT INTO audit_events (seq, event_id, occurred_at, type, prev_hash, hash)
          VALUES (1, gen_random_uuid(), now(), 'test.event', repeat('0', 64), 'h1')""");
      assertThatThrownBy(() -> s.executeUpdate("UPDATE audit_events SET type = 'x' WHERE seq = 1"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("append-only: UPDATE refused");
      assertThatThrownBy(() -> s.executeUpdate("DELETE FROM audit_events WHERE seq = 1"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("append-only: DELETE refused");
      assertThatThrownBy(() -> s.executeUpdate("TRUNCATE audit_events"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("append-only: TRUNCATE refused");
      try (ResultSet rs = s.executeQuery("SELECT type FROM audit_events WHERE seq = 1")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("test.event");
      }
    }
  }

  @Test
  void unreachableDatabaseFailsWithTheCauseAndWithoutThePassword() {
    DatabaseUrl nowhere = DatabaseUrl.parse("postgresql://u:topsecret@127.0.0.1:1/none");
    assertThatThrownBy(() -> Migrations.migrate(nowhere))
        .satisfies(e -> assertThat(String.valueOf(e.getMessage())).doesNotContain("topsecret"));
  }
}
