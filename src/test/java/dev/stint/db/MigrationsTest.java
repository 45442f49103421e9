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
import org.flywaydb.core.Flyway;
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

  /**
   * The audit log writes the ledger's rows only through the hook it defines ({@code
   * audit.EventRows}, in the {@code credential.issued} event's transaction): an event that names no
   * credential, as a release before the ledger wrote them, adds no row of its own. V20's trigger,
   * which read such an event into the ledger, is dropped (V51).
   */
  @Test
  void aCredentialIssuedEventAddsNoLedgerRowOfItsOwn() throws SQLException {
    Migrations.migrate(url);
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      s.executeUpdate(
          """
          INSERT INTO audit_events (seq, event_id, occurred_at, type, actor_issuer, actor_subject,
              request_id, grant_id, profile, cloud, target, details, prev_hash, hash)
          VALUES (1, gen_random_uuid(), now(), 'credential.issued', 'https://idp.example',
              'alice', 'req_1', 'grt_1', 'dev', 'aws', 'arn:aws:iam::111122223333:role/dev',
              '{"credential": {"access_key_id": "ASIAEXAMPLE",
                               "expiration": "2030-01-01T00:00:00Z"}}',
              repeat('0', 64), 'h1')""");
      try (ResultSet rs = s.executeQuery("SELECT count(*) FROM credentials")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getInt(1)).isZero();
      }
    }
  }

  /**
   * V41: the addresses people were kept by, lower-cased with Unicode's rules, are recomputed as
   * matched (ASCII case only, none when not plain ASCII), every person seen is kept with their sub
   * as the claim users name them by, and a user matched by an address only folding could match is
   * matched to nobody again; a match by sub and an honest match by email stay.
   */
  @Test
  void v41RecomputesAddressesAndUndoesMatchesOnlyFoldingMade() throws SQLException {
    Flyway.configure()
        .dataSource(url.jdbcUrl(), url.user(), url.password())
        .locations("classpath:db/migration")
        .target("39")
        .load()
        .migrate();
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      s.executeUpdate(
          """
          INSERT INTO people_seen (issuer, subject, principal, email, seen_at) VALUES
            ('https://idp', 'mallory', '{"claims": {"email": "\u212Aelly@x.example"}}',
             'kelly@x.example', now()),
            ('https://idp', 'dana', '{"claims": {"email": "Dana@X.example"}}',
             'dana@x.example', now()),
            ('https://idp', 'karl', '{"claims": {"email": "karl@x.example"}}',
             'karl@x.example', now()),
            ('https://idp', 'jose', '{"claims": {"email": "jos\u00e9@x.example"}}',
             'jos\u00e9@x.example', now()),
            ('https://idp', 'unverified', '{"claims": {"email": "u@x.example"}}', NULL, now())""");
      s.executeUpdate(
          """
          INSERT INTO directory_users (id, user_name, external_id, active, attributes, issuer,
              subject, created_at, updated_at, version) VALUES
            ('kelly', 'kelly@x.example', 'okta-kelly', true, '{}', 'https://idp', 'mallory',
             now(), now(), 1),
            ('dana', 'dana@x.example', 'okta-dana', true, '{}', 'https://idp', 'dana',
             now(), now(), 1),
            ('lookalike', '\u212Aarl@x.example', 'okta-lookalike', true,
             '{"emails": [{"value": "\u212Aarl@x.example"}]}', 'https://idp', 'karl',
             now(), now(), 1),
            ('jose', 'jose-by-sub', 'jose', true, '{}', 'https://idp', 'jose', now(), now(), 1)""");
    }

    Migrations.migrate(url);

    assertThat(
            rows(
                "SELECT subject || ' ' || coalesce(email, '-') || ' ' || match_claim || ' '"
                    + " || match_id FROM people_seen ORDER BY subject"))
        .containsExactly(
            "dana dana@x.example sub dana",
            "jose - sub jose",
            "karl karl@x.example sub karl",
            "mallory - sub mallory",
            "unverified - sub unverified");
    assertThat(rows("SELECT id || ' ' || coalesce(subject, '-') FROM directory_users ORDER BY id"))
        .containsExactly("dana dana", "jose jose", "kelly -", "lookalike -");
  }

  private List<String> rows(String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  @Test
  void unreachableDatabaseFailsWithTheCauseAndWithoutThePassword() {
    DatabaseUrl nowhere = DatabaseUrl.parse("postgresql://u:topsecret@127.0.0.1:1/none");
    assertThatThrownBy(() -> Migrations.migrate(nowhere))
        .satisfies(e -> assertThat(String.valueOf(e.getMessage())).doesNotContain("topsecret"));
  }
}
