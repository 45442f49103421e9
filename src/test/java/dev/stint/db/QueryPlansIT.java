package dev.stint.db;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stint.access.AccessPlans;
import dev.stint.activity.ActivityPlans;
import dev.stint.audit.AuditPlans;
import dev.stint.config.DatabaseUrl;
import dev.stint.directory.DirectoryPlans;
import dev.stint.finding.FindingPlans;
import dev.stint.ledger.LedgerPlans;
import dev.stint.people.PeoplePlans;
import dev.stint.testing.AuditTables;
import dev.stint.testing.PlannedQuery;
import dev.stint.testing.TestPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The plans of the SQL the stores actually run, on a database the size of a busy year (300,000
 * audit events, 100,000 requests with their grants, votes and outbox rows, 5,000 people, a
 * directory of 20,000 users in 500 groups). Every query is explained twice: with its parameters
 * (and run, to count what it reads) and as the generic plan a prepared statement falls back to
 * after a few executions. Either plan fails the test when it reads a large table from end to end: a
 * sequential scan, an index walked while a filter throws most of it away (a rare actor read in seq
 * order through the primary key), or many rows sorted to answer a page (an index that does not
 * match the order).
 */
class QueryPlansIT {
  /** Tables that grow with use; a sequential scan of any of them is a bug. */
  static final Set<String> LARGE =
      Set.of(
          "audit_events",
          "access_requests",
          "grants",
          "approvals",
          "people_seen",
          "request_bundles",
          "outbox",
          "credentials",
          "grant_usage",
          "directory_users",
          "directory_user_emails",
          "directory_members",
          "findings",
          "finding_person_networks",
          "finding_profile_hours");

  /** More rows than any page needs, far fewer than a table: past this a read is a walk. */
  static final long MAX_DISCARDED = 5_000;

  /** Ten pages' worth: sorting more to answer one page means the index does not fit the order. */
  static final long MAX_SORTED = 1_000;

  static final Instant START = Instant.parse("2025-11-25T00:00:00Z");
  static final Instant NOW = START.plusSeconds(86_400L * 365);
  static final ObjectMapper JSON = new ObjectMapper();

  static DatabaseUrl superuser;

  /** The months ahead of the data, made but still empty: scanning one reads nothing. */
  static Set<String> emptyMonths = Set.of();

  @BeforeAll
  static void load() throws Exception {
    long t0 = System.nanoTime();
    superuser = TestPostgres.asSuperuser(TestPostgres.migratedDatabase());
    String sql;
    try (InputStream in = QueryPlansIT.class.getResourceAsStream("/db/plan-data.sql")) {
      sql =
          new String(in.readAllBytes(), StandardCharsets.UTF_8)
              .replace(":start", "timestamptz '" + START + "'");
    }
    System.out.printf(
        "query plans: database migrated in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
    try (Connection c = AuditTables.connect(superuser);
        Statement s = c.createStatement()) {
      List<String> indexes = secondaryIndexes(s);
      for (String index : indexes) {
        s.execute(
            "DROP INDEX " + index.substring(index.indexOf(" INDEX ") + 7, index.indexOf(" ON ")));
      }
      for (String statement : sql.split(";\n\n")) {
        if (statement.isBlank()) {
          continue;
        }
        long t = System.nanoTime();
        s.execute(statement);
        System.out.printf(
            "query plans: %d ms for %s%n",
            (System.nanoTime() - t) / 1_000_000,
            statement.lines().filter(l -> !l.startsWith("--")).findFirst().orElse(""));
      }
      long t = System.nanoTime();
      for (String index : indexes) {
        s.execute(index);
      }
      s.execute("ANALYZE");
      emptyMonths =
          Set.copyOf(
              AuditTables.strings(
                  superuser,
                  "SELECT relname FROM pg_class"
                      + " WHERE relname ~ '^audit_events_[0-9]{4}_[0-9]{2}$' AND reltuples = 0"));
      System.out.printf(
          "query plans: %d indexes rebuilt and analyzed in %d ms%n",
          indexes.size(), (System.nanoTime() - t) / 1_000_000);
      assertThat(secondaryIndexes(s)).containsExactlyInAnyOrderElementsOf(indexes);
    }
    System.out.printf("query plans: data loaded in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
  }

  /**
   * The migrations' own definitions of the large tables' indexes, other than those of constraints:
   * dropped during the load and built again from these same definitions, which is several times
   * faster than keeping them up to date row by row.
   */
  static List<String> secondaryIndexes(Statement s) throws SQLException {
    List<String> out = new ArrayList<>();
    try (ResultSet rs =
        s.executeQuery(
            "SELECT indexdef FROM pg_indexes"
                + " WHERE schemaname = current_schema() AND tablename = ANY('{"
                + String.join(",", LARGE)
                + "}') AND indexname NOT IN (SELECT conname FROM pg_constraint)"
                + " ORDER BY indexname")) {
      while (rs.next()) {
        // A partitioned table's index reads back as made "ON ONLY" the parent, which would
        // leave its partitions without one: made on the whole table, it covers every month.
        out.add(rs.getString(1).replace(" ON ONLY ", " ON "));
      }
    }
    return out;
  }

  static List<PlannedQuery> queries() {
    return Stream.of(
            AccessPlans.queries("https://idp.example", NOW),
            ActivityPlans.queries(NOW),
            FindingPlans.queries(NOW),
            AuditPlans.queries(NOW),
            LedgerPlans.queries(NOW),
            PeoplePlans.queries(NOW),
            DirectoryPlans.queries())
        .flatMap(List::stream)
        .toList();
  }

  @Test
  void noQueryReadsALargeTableFromEndToEnd() throws Exception {
    long t0 = System.nanoTime();
    List<String> problems = new ArrayList<>();
    for (PlannedQuery q : queries()) {
      try {
        problems.addAll(problems(q));
      } catch (SQLException e) {
        // Named, and the other queries still explained: a statement that no longer runs says
        // which one it is.
        problems.add(q.name() + ": cannot be explained: " + e.getMessage());
      }
    }
    System.out.printf(
        "query plans: %d queries explained in %d ms%n",
        queries().size(), (System.nanoTime() - t0) / 1_000_000);
    assertThat(problems).as("queries that read a large table from end to end").isEmpty();
  }

  /**
   * Postgres plans a prepared statement afresh on each of its first five executions, then keeps a
   * generic plan if that costs about as much. A read of the audit log that never gets there plans
   * every month of the table on every execution, which costs more than the read itself and grows
   * with each month kept: on a year of months, the first page of the audit page took twice as long
   * as on a fresh database. Held for the reads every page view and export makes; a filter by type,
   * profile or time that a person types, and the batch a stream or a sink reads after a seq, may
   * still be planned each time (one person's wait, or once per batch of hundreds of events, not
   * once per request).
   */
  @Test
  void everyAuditReadSettlesOnACachedPlan() throws Exception {
    List<String> replanned = new ArrayList<>();
    Set<String> routine =
        Set.of(
            "audit: first page",
            "audit: by actor",
            "audit: by actor's email",
            "audit: by an actor with no events",
            "audit: by actor, later page",
            "audit: a request's timeline",
            "audit: head",
            "audit: a month for its export");
    List<PlannedQuery> reads =
        AuditPlans.queries(NOW).stream().filter(q -> routine.contains(q.name())).toList();
    assertThat(reads).hasSameSizeAs(routine);
    for (PlannedQuery q : reads) {
      try (Connection c = AuditTables.connect(superuser);
          Statement s = c.createStatement()) {
        s.execute("PREPARE q AS " + q.sql());
        for (int i = 0; i < 8; i++) {
          s.execute("EXECUTE q" + arguments(q.params()));
        }
        try (ResultSet rs =
            s.executeQuery(
                "SELECT generic_plans, custom_plans"
                    + " FROM pg_prepared_statements WHERE name = 'q'")) {
          rs.next();
          if (rs.getLong("generic_plans") == 0) {
            replanned.add(
                q.name()
                    + " ("
                    + rs.getLong("custom_plans")
                    + " plans made for "
                    + "8 executions): "
                    + q.sql());
          }
        }
      }
    }
    assertThat(replanned).as("audit reads planned afresh on every execution").isEmpty();
  }

  @Test
  void aReadWithItsLimitAsAParameterIsReplannedEveryTime() throws Exception {
    try (Connection c = AuditTables.connect(superuser);
        Statement s = c.createStatement()) {
      s.execute("PREPARE q AS SELECT seq FROM audit_events WHERE seq > $1 ORDER BY seq LIMIT $2");
      for (int i = 0; i < 8; i++) {
        s.execute("EXECUTE q(0, 101)");
      }
      try (ResultSet rs =
          s.executeQuery(
              "SELECT generic_plans FROM pg_prepared_statements" + " WHERE name = 'q'")) {
        rs.next();
        assertThat(rs.getLong(1)).isZero();
      }
    }
  }

  @Test
  void aScanAWalkOrABigSortIsReported() throws Exception {
    PlannedQuery scan =
        PlannedQuery.of(
            "a scan", "SELECT count(*) FROM audit_events" + " WHERE reason LIKE $1", "%x%");
    PlannedQuery walk =
        PlannedQuery.of(
            "a walk",
            "SELECT seq FROM audit_events"
                + " WHERE seq > $1 AND details ? 'nothing' ORDER BY seq LIMIT 10",
            0L);
    assertThat(problems(scan)).anyMatch(p -> p.contains("Seq Scan on audit_events"));
    assertThat(problems(walk)).anyMatch(p -> p.contains("discards"));
    PlannedQuery sort =
        PlannedQuery.of(
            "a sort",
            "SELECT seq FROM audit_events" + " WHERE seq > $1 ORDER BY reason LIMIT 10",
            0L);
    assertThat(problems(sort)).anyMatch(p -> p.contains("sorts"));
  }

  @Test
  void everyStoreQueryIsCovered() {
    assertThat(queries()).extracting(PlannedQuery::name).doesNotHaveDuplicates();
    assertThat(queries().stream().map(PlannedQuery::sql).collect(Collectors.joining("\n")))
        .contains(
            "FROM access_requests",
            "FROM grants",
            "FROM approvals",
            "FROM people_seen",
            "FROM request_bundles",
            "FROM outbox",
            "FROM audit_events",
            "FROM credentials",
            "FROM findings",
            "FROM finding_person_networks",
            "FROM finding_profile_hours");
  }

  /** What is wrong with a query's two plans, one line each. */
  static List<String> problems(PlannedQuery q) throws SQLException, IOException {
    List<String> out = new ArrayList<>();
    try (Connection c = AuditTables.connect(superuser);
        Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      s.execute("PREPARE q AS " + q.sql());
      String execute = "EXECUTE q" + arguments(q.params());
      s.execute("SET LOCAL plan_cache_mode = force_custom_plan");
      JsonNode custom = plan(s, "EXPLAIN (ANALYZE, FORMAT JSON) " + execute);
      s.execute("SET LOCAL plan_cache_mode = force_generic_plan");
      JsonNode generic = plan(s, "EXPLAIN (FORMAT JSON) " + execute);
      c.rollback();
      inspect(q.name() + " (with its parameters)", custom, out);
      inspect(q.name() + " (generic plan)", generic, out);
      if (!out.isEmpty()) {
        out.add(q.name() + ": " + q.sql() + "\n" + custom.toPrettyString());
      }
    }
    return out;
  }

  private static JsonNode plan(Statement s, String explain) throws SQLException, IOException {
    try (ResultSet rs = s.executeQuery(explain)) {
      rs.next();
      return JSON.readTree(rs.getString(1)).get(0).get("Plan");
    }
  }

  private static void inspect(String name, JsonNode node, List<String> out) {
    String partition = node.path("Relation Name").asText("");
    // A month of the audit table is as large as the table was: judged as the table.
    String relation = partition.replaceFirst("^audit_events_\\d{4}_\\d{2}$", "audit_events");
    if (LARGE.contains(relation)) {
      if (node.path("Node Type").asText().equals("Seq Scan") && !emptyMonths.contains(partition)) {
        out.add(
            name
                + ": Seq Scan on "
                + relation
                + (partition.equals(relation) ? "" : " (" + partition + ")"));
      }
      long discarded = node.path("Rows Removed by Filter").asLong(0);
      if (discarded > MAX_DISCARDED) {
        out.add(
            name
                + ": "
                + node.path("Node Type").asText()
                + " on "
                + relation
                + " via "
                + node.path("Index Name").asText("-")
                + " discards "
                + discarded
                + " rows");
      }
    }
    if (node.path("Node Type").asText().equals("Sort")) {
      long sorted = node.path("Plans").path(0).path("Actual Rows").asLong(0);
      if (sorted > MAX_SORTED) {
        out.add(name + ": sorts " + sorted + " rows to answer a page");
      }
    }
    node.path("Plans").forEach(child -> inspect(name, child, out));
  }

  /** The parameters as SQL literals; untyped, so each takes the type its placeholder has. */
  private static String arguments(List<Object> params) {
    if (params.isEmpty()) {
      return "";
    }
    return params.stream().map(QueryPlansIT::literal).collect(Collectors.joining(", ", "(", ")"));
  }

  private static String literal(Object value) {
    if (value == null) {
      return "NULL";
    }
    if (value instanceof Number) {
      return value.toString();
    }
    String text =
        value instanceof Object[] array
            ? Stream.of(array).map(a -> "\"" + a + "\"").collect(Collectors.joining(",", "{", "}"))
            : value instanceof OffsetDateTime t ? t.toString() : value.toString();
    return "'" + text.replace("'", "''") + "'";
  }
}
