package dev.stint.bench;

import static dev.stint.testing.AuditTables.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.audit.ChainVerifier;
import dev.stint.config.DatabaseUrl;
import dev.stint.db.Database;
import dev.stint.testing.AuditTables;
import dev.stint.testing.TestPostgres;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The growth bench's generator at a tiny size, on the real migrations: the chain it writes must
 * pass the server's own verifier, and the rows must have the counts and the spread (a year, many
 * people, a few pending) that the bench's figures depend on.
 */
class ScaleDataTest {
  static final ScaleSpec SPEC =
      new ScaleSpec(5_000, 500, 50, 4_000, Instant.parse("2026-11-25T12:00:00Z"), 26L);
  static DatabaseUrl url;
  static ScaleLoader.Loaded loaded;

  @BeforeAll
  static void load() throws Exception {
    url = TestPostgres.migratedDatabase();
    loaded = ScaleLoader.load(TestPostgres.asSuperuser(url), SPEC);
    System.out.println("scale data: " + loaded);
  }

  @Test
  void theChainVerifiesWithTheServersVerifier() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      Database db = Database.connect(vertx, url, 2);
      ChainVerifier.Result r = await(new ChainVerifier(db.pool()).verify());
      assertThat(r.problem()).isEmpty();
      assertThat(r.ok()).isTrue();
      assertThat(r.count()).isEqualTo(SPEC.events());
      assertThat(r.headHash()).isEqualTo(loaded.chain().headHash());
    } finally {
      await(vertx.close());
    }
  }

  /** Appends continue from the chain's head; a schema that keeps it in a row must have it moved. */
  @Test
  void theChainHeadIsTheLastEventLoaded() throws Exception {
    if (count("SELECT count(*) FROM pg_class WHERE relname = 'audit_chain_head'") == 0) {
      return; // the head is the newest row itself
    }
    assertThat(AuditTables.strings(url, "SELECT seq || ' ' || hash FROM audit_chain_head"))
        .containsExactly(SPEC.events() + " " + loaded.chain().headHash());
  }

  @Test
  void countsMatchTheSpec() throws Exception {
    assertThat(AuditTables.count(url, "true")).isEqualTo(SPEC.events());
    assertThat(count("SELECT count(*) FROM access_requests")).isEqualTo(SPEC.requests());
    assertThat(count("SELECT count(*) FROM access_requests WHERE state = 'pending'"))
        .isEqualTo(ScaleRequests.pending(SPEC));
    assertThat(count("SELECT count(*) FROM grants"))
        .isEqualTo(
            count(
                "SELECT count(*) FROM access_requests"
                    + " WHERE state IN ('approved', 'expired', 'revoked')"))
        .isGreaterThan(SPEC.requests() / 2);
    assertThat(count("SELECT count(*) FROM approvals")).isGreaterThan(SPEC.requests() / 2);
    assertThat(count("SELECT count(*) FROM people_seen")).isEqualTo(SPEC.people());
    assertThat(count("SELECT count(DISTINCT type) FROM audit_events")).isGreaterThanOrEqualTo(8);
  }

  /** Each issuance has its ledger row, by its event's id, with a key no other credential has. */
  @Test
  void everyIssuanceHasItsLedgerRow() throws Exception {
    long issued = AuditTables.count(url, "type = 'credential.issued'");
    assertThat(issued).isPositive();
    assertThat(count("SELECT count(*) FROM credentials")).isEqualTo(issued);
    assertThat(count("SELECT count(DISTINCT access_key_id) FROM credentials")).isEqualTo(issued);
    assertThat(
            count(
                "SELECT count(*) FROM audit_events e JOIN credentials c ON c.event_id = e.event_id"
                    + " AND c.id = e.details->>'credential_id'"
                    + " AND c.access_key_id = e.details->'credential'->>'access_key_id'"
                    + " AND c.request_id = e.request_id AND c.issued_at = e.occurred_at"))
        .isEqualTo(issued);
    assertThat(
            count(
                "SELECT count(*) FROM credentials c JOIN grants g ON g.id = c.grant_id"
                    + " WHERE c.expires_at > g.ends_at OR c.issued_at < g.starts_at"))
        .isZero();
  }

  /** The spec's calls, each within its credential's life and with its key; lookups for all. */
  @Test
  void activityIsTheSpecsCallsWithinEachCredentialsLife() throws Exception {
    assertThat(count("SELECT count(*) FROM activity_events")).isEqualTo(SPEC.activity());
    assertThat(count("SELECT count(*) FROM activity_lookups"))
        .isEqualTo(count("SELECT count(*) FROM credentials"));
    assertThat(
            count(
                "SELECT count(*) FROM activity_events a JOIN credentials c"
                    + " ON c.id = a.credential_id WHERE a.access_key_id <> c.access_key_id"
                    + " OR a.request_id <> c.request_id OR a.at < c.issued_at"
                    + " OR a.at > c.expires_at"))
        .isZero();
    // Some credentials made no call, so the unused-grants report has something to find.
    assertThat(
            count(
                "SELECT count(*) FROM activity_lookups l WHERE NOT EXISTS"
                    + " (SELECT 1 FROM activity_events a WHERE a.credential_id = l.credential_id)"))
        .isPositive();
    assertThat(count("SELECT count(*) FROM activity_settled")).isPositive();
    assertThat(
            count(
                "SELECT count(*) FROM activity_settled s JOIN activity_lookups l"
                    + " USING (request_id) WHERE l.settled_at IS NULL"))
        .isZero();
  }

  /**
   * The report of grants never used as it read the tables themselves before it had grant_usage: the
   * usage rows the generator fills must list the same grants with the same counts.
   */
  static final String REPORT_FROM_THE_TABLES =
      "SELECT r.id || ' ' || (SELECT count(*) FROM credentials c WHERE c.grant_id = g.id"
          + " AND c.state <> 'withheld') || ' ' || (SELECT count(*) FROM activity_lookups l"
          + " WHERE l.request_id = r.id) || ' ' || ((SELECT count(*) FILTER (WHERE l.settled_at"
          + " IS NULL) FROM activity_lookups l WHERE l.request_id = r.id) = 0)"
          + " FROM grants g JOIN access_requests r ON r.id = g.request_id"
          + " WHERE NOT EXISTS (SELECT 1 FROM activity_events a WHERE a.request_id = g.request_id)"
          + " ORDER BY LEAST(g.ends_at, COALESCE(g.revoked_at, g.ends_at)) DESC, g.request_id DESC";

  @Test
  void everyGrantHasItsUsageRowCountedAsTheTablesCountIt() throws Exception {
    assertThat(count("SELECT count(*) FROM grant_usage"))
        .isEqualTo(count("SELECT count(*) FROM grants"));
    List<String> fromUsage =
        AuditTables.strings(
            url,
            "SELECT request_id || ' ' || credentials || ' ' || looked_up || ' ' || (unsettled = 0)"
                + " FROM grant_usage WHERE NOT used ORDER BY ended_at DESC, request_id DESC");
    assertThat(fromUsage)
        .isNotEmpty()
        .containsExactlyElementsOf(AuditTables.strings(url, REPORT_FROM_THE_TABLES));
  }

  @Test
  void rowsSpreadOverTheYearAndThePeople() throws Exception {
    for (String table : List.of("audit_events WHERE true", "access_requests WHERE true")) {
      String column = table.startsWith("audit") ? "occurred_at" : "created_at";
      List<String> months =
          AuditTables.strings(
              url,
              "SELECT DISTINCT to_char("
                  + column
                  + " AT TIME ZONE 'UTC', 'YYYY-MM') FROM "
                  + table);
      assertThat(months).as(table).hasSizeGreaterThanOrEqualTo(12);
      assertThat(
              count(
                  "SELECT count(*) FROM "
                      + table
                      + " AND ("
                      + column
                      + " < '"
                      + SPEC.start()
                      + "' OR "
                      + column
                      + " >= '"
                      + SPEC.end()
                      + "')"))
          .as(table)
          .isZero();
    }
    assertThat(count("SELECT count(DISTINCT requester_subject) FROM access_requests"))
        .isGreaterThan(SPEC.people() * 3 / 4);
    assertThat(count("SELECT count(DISTINCT actor_subject) FROM audit_events"))
        .isGreaterThan(SPEC.people() * 3 / 4);
    // seq follows time, as the writer's would
    assertThat(
            count(
                "SELECT count(*) FROM audit_events a JOIN audit_events b"
                    + " ON b.seq = a.seq + 1 WHERE b.occurred_at < a.occurred_at"))
        .isZero();
  }

  private static long count(String sql) throws Exception {
    return Long.parseLong(AuditTables.strings(url, sql).get(0));
  }
}
