package dev.stint.activity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.config.DatabaseUrl;
import dev.stint.db.Migrations;
import dev.stint.testing.AuditTables;
import dev.stint.testing.TestPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * The Identity Center grants whose assignment stint had made before portal accesses existed get
 * theirs from the migration, dated from when the assignment was marked created, looked up and
 * counted in their grant's usage; an assignment stint did not make, or not created, gets none.
 */
class PortalAccessBackfillTest {
  @Test
  void assignmentsStintMadeBeforeTheTableGetTheirPortalAccessOnce() throws Exception {
    DatabaseUrl url = TestPostgres.asOwner(TestPostgres.emptyDatabase());
    Flyway.configure()
        .dataSource(url.jdbcUrl(), url.user(), url.password())
        .locations("classpath:db/migration")
        .target("58")
        .load()
        .migrate();
    DatabaseUrl su = TestPostgres.asSuperuser(url);
    try (Connection c = DriverManager.getConnection(su.jdbcUrl(), su.user(), su.password());
        Statement s = c.createStatement()) {
      s.execute(
          "INSERT INTO identity_center_assignments (grant_id, request_id, instance_arn,"
              + " identity_store_id, account_id, permission_set_arn, user_name, user_id, state,"
              + " stint_created, updated_at, region, holder_issuer, holder_subject) VALUES"
              + " ('grt_1', 'req_1', 'i', 'd', '111122223333', 'ps', 'pat@example.com', 'u1',"
              + " 'created', true, '2026-11-01T10:00:00Z', 'us-east-1', 'https://idp', 'pat'),"
              + " ('grt_2', 'req_2', 'i', 'd', '111122223333', 'ps', 'kim@example.com', 'u2',"
              + " 'created', false, '2026-11-01T10:00:00Z', 'us-east-1', 'https://idp', 'kim'),"
              + " ('grt_3', 'req_3', 'i', 'd', '111122223333', 'ps', 'lee@example.com', 'u3',"
              + " 'deleted', true, '2026-11-01T10:00:00Z', 'us-east-1', 'https://idp', 'lee')");
    }

    Migrations.migrate(url);

    assertThat(
            AuditTables.strings(
                su,
                "SELECT id || ' ' || request_id || ' ' || user_name || ' '"
                    + " || (from_at AT TIME ZONE 'UTC') FROM activity_portal_access"))
        .containsExactly("pta_grt_1 req_1 pat@example.com 2026-11-01 10:00:00");
    assertThat(
            AuditTables.strings(
                su,
                "SELECT credential_id || ' ' || access_key_id || ' ' || account"
                    + " FROM activity_lookups"))
        .containsExactly("pta_grt_1 pat@example.com 111122223333");
    assertThat(
            AuditTables.strings(
                su,
                "SELECT request_id || ' ' || sum(credentials) || ' ' || sum(looked_up)"
                    + " FROM grant_usage_tally GROUP BY request_id"))
        .as("one thing handed out, looked up")
        .containsExactly("req_1 1 1");
  }
}
