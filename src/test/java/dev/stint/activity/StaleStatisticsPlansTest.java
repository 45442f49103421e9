package dev.stint.activity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.config.DatabaseUrl;
import dev.stint.testing.AuditTables;
import dev.stint.testing.TestPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A database that grew after its statistics were taken (a new deployment's first busy hour, before
 * autovacuum analyzes): the report of grants never used reads one range of its own index, and the
 * rounds' "is this request settled" reads a request's lookups through the request's own index,
 * never intersected with every unsettled lookup (the rounds' due index). The growth bench found
 * that plan on its empty side when the report still read the lookups: it walked all live
 * credentials for each grant it listed, 5 s at the median and 500s at the tail.
 */
class StaleStatisticsPlansTest {
  static DatabaseUrl url;

  @BeforeAll
  static void load() throws Exception {
    url = TestPostgres.asSuperuser(TestPostgres.migratedDatabase());
    try (Connection c = AuditTables.connect(url);
        Statement s = c.createStatement()) {
      for (String t :
          List.of(
              "grants",
              "access_requests",
              "credentials",
              "activity_events",
              "activity_lookups",
              "grant_usage")) {
        s.execute("ALTER TABLE " + t + " SET (autovacuum_enabled = false)");
      }
      s.execute("ANALYZE"); // statistics of the empty tables: then they grow
      s.execute("SET session_replication_role = replica");
      s.execute(
          "INSERT INTO access_requests (id, profile, requester_issuer, requester_subject, reason,"
              + " duration_seconds, break_glass, approvals_required, state, created_at,"
              + " updated_at, version) SELECT 'req_' || i, 'p', 'iss', 'u' || i, 'r', 60, false,"
              + " 1, 'expired', now() - interval '5 minutes', now(), 1"
              + " FROM generate_series(1, 1000) i");
      s.execute(
          "INSERT INTO grants (id, request_id, profile, principal_issuer, principal_subject,"
              + " starts_at, ends_at, break_glass, created_at) SELECT 'grt_' || i, 'req_' || i,"
              + " 'p', 'iss', 'u' || i, now() - interval '3 minutes', CASE WHEN i <= 900 THEN"
              + " now() - interval '1 minute' ELSE now() + interval '1 hour' END, false,"
              + " now() - interval '3 minutes' FROM generate_series(1, 1000) i");
      // One busy grant with many live credentials, as a CI role's, and one each for the others.
      s.execute(
          "INSERT INTO credentials (id, event_id, grant_id, request_id, holder_issuer,"
              + " holder_subject, profile, cloud, target, access_key_id, session_name,"
              + " source_identity, revocable, issued_at, expires_at) SELECT 'crd_' || i,"
              + " md5(i::text)::uuid, 'grt_' || greatest(i - 30000, 1000),"
              + " 'req_' || greatest(i - 30000, 1000), 'iss', 'u', 'p', 'aws', 'arn',"
              + " 'ASIA' || lpad(i::text, 16, '0'), 's', 'si.' || i, true,"
              + " now() - interval '2 minutes', now() + interval '1 hour'"
              + " FROM generate_series(1, 30900) i");
      s.execute(
          "INSERT INTO activity_lookups (credential_id, request_id, cloud, access_key_id,"
              + " issued_at, next_at) SELECT id, request_id, cloud, access_key_id, issued_at,"
              + " issued_at FROM credentials");
      s.execute("SELECT grant_usage_fill()");
      s.execute("SET session_replication_role = origin");
    }
  }

  @Test
  void theReportReadsOneRangeOfItsOwnIndex() throws Exception {
    assertThat(plan(report(), UnusedGrants.PLANNING))
        .anyMatch(line -> line.contains("grant_usage_unused"))
        .noneMatch(line -> line.contains("Seq Scan"))
        .noneMatch(line -> line.contains("activity_lookups") || line.contains("credentials"));
  }

  /**
   * Fresh statistics of a skewed ledger (one grant with thousands of credentials, the others with
   * one): the report still reads only its own index, whatever the ledger holds.
   */
  @Test
  void theReportNeverScansWithFreshStatistics() throws Exception {
    try (Connection c = AuditTables.connect(url);
        Statement s = c.createStatement()) {
      s.execute("ANALYZE credentials");
      s.execute("ANALYZE grant_usage");
    }
    assertThat(plan(report(), UnusedGrants.PLANNING))
        .anyMatch(line -> line.contains("grant_usage_unused"))
        .noneMatch(line -> line.contains("Seq Scan"));
  }

  private static String report() {
    return UnusedGrants.QUERY
        .replace("$1", "now() - interval '10 minutes'")
        .replace("$2", "now()")
        .replace("$3", Integer.toString(UnusedGrants.LIMIT + 1));
  }

  @Test
  void whetherARequestIsSettledReadsItsOwnLookups() throws Exception {
    assertThat(plan(ActivityStore.UNSETTLED.replace("$1", "'req_1000'")))
        .noneMatch(line -> line.contains("activity_lookups_due"))
        .anyMatch(line -> line.contains("activity_lookups_request"));
  }

  private static List<String> plan(String sql) throws Exception {
    return plan(sql, "SELECT 1");
  }

  /** The plan of {@code sql} in a transaction that first ran {@code setting}. */
  private static List<String> plan(String sql, String setting) throws Exception {
    List<String> lines = new ArrayList<>();
    try (Connection c = AuditTables.connect(url)) {
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        s.execute(setting);
        try (ResultSet rs = s.executeQuery("EXPLAIN " + sql)) {
          while (rs.next()) {
            lines.add(rs.getString(1));
          }
        }
      } finally {
        c.rollback();
      }
    }
    return lines;
  }
}
