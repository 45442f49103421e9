package dev.stint.rightsize;

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
 * The calls kept before the per-profile counts existed are counted once by their migration: the
 * allowed ones, each for its own request's profile, with no resource named (calls kept then had
 * none).
 */
class ProfileCallsBackfillTest {
  @Test
  void callsKeptBeforeTheCountsAreCountedOnceForTheirOwnProfileAndOnlyWhenAllowed()
      throws Exception {
    DatabaseUrl url = TestPostgres.asOwner(TestPostgres.emptyDatabase());
    Flyway.configure()
        .dataSource(url.jdbcUrl(), url.user(), url.password())
        .locations("classpath:db/migration")
        .target("55")
        .load()
        .migrate();
    DatabaseUrl su = TestPostgres.asSuperuser(url);
    try (Connection c = DriverManager.getConnection(su.jdbcUrl(), su.user(), su.password());
        Statement s = c.createStatement()) {
      s.execute("SET session_replication_role = replica");
      s.execute(
          "INSERT INTO grant_usage (request_id, grant_id, profile, requester_issuer,"
              + " requester_subject, approved_at, ended_at) VALUES"
              + " ('req_1', 'grt_1', 'prod', 'https://idp', 'alice', now(), now()),"
              + " ('req_2', 'grt_2', 'other', 'https://idp', 'bob', now(), now())");
      s.execute(
          "INSERT INTO activity_events (event_id, credential_id, request_id, at, source, name,"
              + " region, error_code) VALUES"
              + " ('e1', 'crd_1', 'req_1', '2026-11-01T10:00:00Z', 's3.amazonaws.com',"
              + " 'GetObject', 'eu-west-1', NULL),"
              + " ('e2', 'crd_1', 'req_1', '2026-11-01T11:00:00Z', 's3.amazonaws.com',"
              + " 'GetObject', 'eu-west-1', NULL),"
              + " ('e3', 'crd_1', 'req_1', '2026-11-01T12:00:00Z', 'iam.amazonaws.com',"
              + " 'CreateAccessKey', 'us-east-1', 'AccessDenied'),"
              + " ('e4', 'crd_2', 'req_2', '2026-11-02T10:00:00Z', 'dynamodb.amazonaws.com',"
              + " 'GetItem', 'eu-west-1', NULL),"
              + " ('e5', 'crd_9', 'req_9', '2026-11-02T10:00:00Z', 'ec2.amazonaws.com',"
              + " 'DescribeInstances', 'eu-west-1', NULL)");
    }

    Migrations.migrate(url);

    assertThat(
            AuditTables.strings(
                su,
                "SELECT profile || ' ' || day || ' ' || source || ' ' || name || ' ' || resource"
                    + " || ' ' || calls || ' ' || last_at AT TIME ZONE 'UTC'"
                    + " FROM activity_profile_calls ORDER BY profile, day, name"))
        .containsExactly(
            "other 2026-11-02 dynamodb.amazonaws.com GetItem * 1 2026-11-02 10:00:00",
            "prod 2026-11-01 s3.amazonaws.com GetObject * 2 2026-11-01 12:00:00"
                .replace("12:00:00", "11:00:00"));
  }
}
