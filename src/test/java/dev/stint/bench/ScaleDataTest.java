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
      new ScaleSpec(5_000, 500, 50, Instant.parse("2026-11-25T12:00:00Z"), 26L);
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
