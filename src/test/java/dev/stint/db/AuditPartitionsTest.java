package dev.stint.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stint.config.DatabaseUrl;
import dev.stint.testing.AuditTables;
import dev.stint.testing.Patience;
import dev.stint.testing.TestPostgres;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * The monthly layout of audit_events (V17): rows of a database that had them are kept in their
 * months, months around now exist, every partition carries the append-only guards and is out of the
 * runtime role's direct reach, and the chain head refuses a second writer of the same seq.
 */
class AuditPartitionsTest {

  private static List<String> partitions(DatabaseUrl url) throws SQLException {
    return AuditTables.strings(
        url,
        "SELECT c.relname FROM pg_inherits i"
            + " JOIN pg_class c ON c.oid = i.inhrelid"
            + " WHERE i.inhparent = 'audit_events'::regclass ORDER BY 1");
  }

  @Test
  void rowsOfAnEarlierSchemaAreKeptInTheirMonths() throws Exception {
    DatabaseUrl url = TestPostgres.emptyDatabase();
    DatabaseUrl owner = TestPostgres.server().ownerUrl(url.database());
    Flyway.configure()
        .dataSource(owner.jdbcUrl(), owner.user(), owner.password())
        .locations("classpath:db/migration")
        .target("16")
        .load()
        .migrate();
    try (Connection c = AuditTables.connect(owner);
        Statement s = c.createStatement()) {
      s.execute(
          """
          INSERT INTO audit_events (seq, event_id, occurred_at, type, prev_hash, hash)
          SELECT i, gen_random_uuid(), timestamptz '2024-01-31 23:00Z' + i * interval '10 days',
                 'test.event', 'p' || i, 'h' || i
          FROM generate_series(1, 40) AS i""");
    }
    Migrations.migrate(owner);

    assertThat(AuditTables.count(url, "true")).isEqualTo(40);
    assertThat(AuditTables.strings(url, "SELECT seq || ' ' || hash FROM audit_chain_head"))
        .containsExactly("40 h40");
    assertThat(
            AuditTables.strings(
                url,
                "SELECT tableoid::regclass || ' ' || seq"
                    + " FROM audit_events WHERE seq IN (1, 2) ORDER BY seq"))
        .containsExactly("audit_events_2024_02 1", "audit_events_2024_02 2");
    YearMonth now = YearMonth.now(ZoneOffset.UTC);
    assertThat(partitions(url))
        .contains(
            "audit_events_2024_01", "audit_events_2025_03", name(now), name(now.plusMonths(3)));
    // A month after the migration carries on from the copied head.
    try (Connection c = AuditTables.connect(url);
        Statement s = c.createStatement()) {
      s.execute(
          "INSERT INTO audit_events (seq, event_id, occurred_at, type, prev_hash, hash)"
              + " VALUES (41, gen_random_uuid(), now(), 'test.event', 'h40', 'h41')");
    }
  }

  /** Until the second writer waits for the head row that the first one holds. */
  private static void awaitWaitingOnALock(DatabaseUrl url) throws SQLException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (AuditTables.strings(
            url,
            "SELECT count(*) FROM pg_stat_activity"
                + " WHERE datname = current_database() AND wait_event_type = 'Lock'")
        .get(0)
        .equals("0")) {
      assertThat(System.nanoTime()).as("the second writer waits for the head").isLessThan(until);
      Thread.onSpinWait();
    }
  }

  private static String name(YearMonth m) {
    return String.format("audit_events_%04d_%02d", m.getYear(), m.getMonthValue());
  }

  @Test
  void ensureMakesMissingMonthsOnlyAndEachIsGuarded() throws Exception {
    DatabaseUrl url = TestPostgres.migratedDatabase();
    int before = partitions(url).size();
    // The runtime role may call it for the months around now only; past ones are the owner's.
    assertThatThrownBy(
            () ->
                AuditTables.strings(
                    url,
                    "SELECT audit_partitions_ensure("
                        + "timestamptz '2024-01-01Z', timestamptz '2024-02-15Z')"))
        .hasMessageContaining("made by the schema owner only");
    assertThat(partitions(url)).hasSize(before);
    assertThat(
            AuditTables.strings(
                url, "SELECT audit_partitions_ensure(now()," + " now() + interval '2 months')"))
        .containsExactly("0");
    DatabaseUrl owner = TestPostgres.asOwner(url);
    assertThat(
            AuditTables.strings(
                owner,
                "SELECT audit_partitions_ensure("
                    + "timestamptz '2023-12-31 23:30-02', timestamptz '2024-03-01 00:00Z')"))
        .containsExactly("3");
    assertThat(
            AuditTables.strings(
                owner,
                "SELECT audit_partitions_ensure("
                    + "timestamptz '2024-01-01Z', timestamptz '2024-02-15Z')"))
        .containsExactly("0");
    assertThat(partitions(url))
        .hasSize(before + 3)
        .contains("audit_events_2024_01", "audit_events_2024_03")
        .doesNotContain("audit_events_2023_12");
    assertThat(
            AuditTables.strings(
                url,
                "SELECT pg_get_expr(relpartbound, oid) FROM pg_class"
                    + " WHERE relname = 'audit_events_2024_01'"))
        .containsExactly(
            "FOR VALUES FROM ('2024-01-01 00:00:00+00') TO ('2024-02-01 00:00:00+00')");
    assertThatThrownBy(
            () ->
                AuditTables.strings(
                    owner,
                    "SELECT audit_partitions_ensure("
                        + "timestamptz '1900-01-01Z', timestamptz '2024-01-01Z')"))
        .hasMessageContaining("fifty years");
    for (String p : partitions(url)) {
      assertThat(
              AuditTables.strings(
                  url,
                  "SELECT count(*) FROM pg_trigger WHERE tgrelid = '"
                      + p
                      + "'::regclass AND tgname IN ('audit_events_no_update_delete',"
                      + " 'audit_events_no_truncate')"))
          .as(p)
          .containsExactly("2");
      assertThat(
              AuditTables.strings(
                  url,
                  "SELECT has_table_privilege('stint', '"
                      + p
                      + "', 'SELECT,INSERT,UPDATE,DELETE,TRUNCATE')"))
          .as(p)
          .containsExactly("f");
    }
  }

  @Test
  void theRuntimeRoleCannotChangeAPartitionOrTheHead() throws Exception {
    DatabaseUrl url = TestPostgres.migratedDatabase();
    String month = name(YearMonth.now(ZoneOffset.UTC));
    try (Connection c = AuditTables.connect(url);
        Statement s = c.createStatement()) {
      s.execute(
          "INSERT INTO audit_events (seq, event_id, occurred_at, type, prev_hash, hash)"
              + " VALUES (1, gen_random_uuid(), now(), 'probe', (SELECT hash FROM audit_chain_head),"
              + " 'h1')");
      for (String sql :
          List.of(
              "UPDATE audit_events SET type = 'x'",
              "DELETE FROM audit_events",
              "TRUNCATE audit_events",
              "UPDATE " + month + " SET type = 'x'",
              "DELETE FROM " + month,
              "TRUNCATE " + month,
              "SELECT * FROM " + month,
              "INSERT INTO " + month + " SELECT * FROM audit_events",
              "ALTER TABLE audit_events DETACH PARTITION " + month,
              "DROP TABLE " + month,
              "UPDATE audit_chain_head SET seq = 0",
              "DELETE FROM audit_chain_head")) {
        assertThatThrownBy(() -> s.execute(sql)).as(sql).isInstanceOf(SQLException.class);
      }
    }
    // The owner is stopped by the triggers, through the parent and on the partition itself.
    DatabaseUrl owner = TestPostgres.asOwner(url);
    try (Connection c = AuditTables.connect(owner);
        Statement s = c.createStatement()) {
      for (String sql :
          List.of(
              "UPDATE " + month + " SET type = 'x'",
              "DELETE FROM " + month,
              "TRUNCATE " + month,
              "TRUNCATE audit_events",
              "DELETE FROM audit_events")) {
        assertThatThrownBy(() -> s.execute(sql)).as(sql).hasMessageContaining("append-only");
      }
    }
    assertThat(AuditTables.count(url, "type = 'probe'")).isEqualTo(1);
  }

  @Test
  void aRowThatDoesNotLinkToTheChainIsRefusedAsItIsWritten() throws Exception {
    DatabaseUrl url = TestPostgres.migratedDatabase();
    String row = "(%d, gen_random_uuid(), now(), 'link', %s, '%s')";
    String insert =
        "INSERT INTO audit_events (seq, event_id, occurred_at, type, prev_hash, hash)" + " VALUES ";
    String head = "(SELECT hash FROM audit_chain_head)";
    // The next seq, but its prev_hash is not the head's hash: a fork the seqs alone allowed.
    assertThatThrownBy(
            () -> AuditTables.execute(url, insert + String.format(row, 1, "'forged'", "h1")))
        .hasMessageContaining("does not link to the chain head")
        .isInstanceOfSatisfying(
            SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("23000"));
    // Within one batch, each row must link to the one before it.
    assertThatThrownBy(
            () ->
                AuditTables.execute(
                    url,
                    insert
                        + String.format(row, 1, head, "h1")
                        + ", "
                        + String.format(row, 2, "'other'", "h2")))
        .hasMessageContaining("do not link to one another")
        .isInstanceOfSatisfying(
            SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("23000"));
    assertThat(AuditTables.count(url, "type = 'link'")).isZero();

    AuditTables.execute(
        url,
        insert + String.format(row, 1, head, "h1") + ", " + String.format(row, 2, "'h1'", "h2"));
    AuditTables.execute(url, insert + String.format(row, 3, head, "h3"));

    assertThat(AuditTables.count(url, "type = 'link'")).isEqualTo(3);
    assertThat(AuditTables.strings(url, "SELECT seq || ' ' || hash FROM audit_chain_head"))
        .containsExactly("3 h3");
  }

  @Test
  void twoWritersCannotBothWriteTheSameSeq() throws Exception {
    DatabaseUrl url = TestPostgres.migratedDatabase();
    String insert =
        "INSERT INTO audit_events (seq, event_id, occurred_at, type, prev_hash, hash)"
            + " VALUES (1, gen_random_uuid(), %s, 'race', (SELECT hash FROM audit_chain_head), '%s')";
    try (Connection first = AuditTables.connect(url);
        Connection second = AuditTables.connect(url);
        Statement a = first.createStatement();
        Statement b = second.createStatement()) {
      first.setAutoCommit(false);
      second.setAutoCommit(false);
      a.execute(String.format(insert, "now()", "a"));
      // Another month, so no (seq, occurred_at) key could catch it: only the head can.
      CompletableFuture<Void> racing =
          CompletableFuture.runAsync(
              () -> {
                try {
                  b.execute(String.format(insert, "now() - interval '40 days'", "b"));
                  second.commit();
                } catch (SQLException e) {
                  throw new IllegalStateException(e.getMessage(), e);
                }
              });
      awaitWaitingOnALock(url);
      first.commit();
      assertThatThrownBy(() -> racing.get(Patience.seconds(10), TimeUnit.MILLISECONDS))
          .hasMessageContaining("does not continue the chain head");
    }
    assertThat(AuditTables.strings(url, "SELECT hash FROM audit_events WHERE seq = 1"))
        .containsExactly("a");
    // A gap, a repeat within one statement, or a seq behind the head is refused as well.
    for (String sql :
        List.of(
            String.format(insert.replace("(1,", "(3,"), "now()", "c"),
            "INSERT INTO audit_events (seq, event_id, occurred_at, type, prev_hash, hash)"
                + " SELECT 2, gen_random_uuid(), now() + i * interval '1 second', 'race', 'a', 'd'"
                + " FROM generate_series(1, 2) AS i",
            String.format(insert, "now()", "e"))) {
      assertThatThrownBy(() -> AuditTables.execute(url, sql))
          .as(sql)
          .hasMessageContaining("does not continue the chain head");
    }
  }
}
