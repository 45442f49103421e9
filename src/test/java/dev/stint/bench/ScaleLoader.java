package dev.stint.bench;

import dev.stint.bench.ScaleRequests.Req;
import dev.stint.config.DatabaseUrl;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads a {@link ScaleSpec} into a migrated database, as its superuser. The fast path: the audit
 * table's triggers and the foreign keys are skipped ({@code session_replication_role = replica}),
 * the tables' own indexes and unique keys are dropped and built again from their own definitions
 * once the rows are in (several times faster than keeping them up to date row by row), and the
 * tables are vacuumed so that the first reads of the bench do not pay for setting hint bits.
 * Partitions for the year are made through the schema's own function when it has one; nothing here
 * names a partition or an index.
 */
final class ScaleLoader {
  static final List<String> TABLES =
      List.of(
          "access_requests",
          "approvals",
          "grants",
          "people_seen",
          "audit_events",
          "credentials",
          "activity_lookups",
          "activity_events",
          "activity_settled",
          "grant_usage",
          "activity_profile_calls");

  /** What a load did, for the bench's output and the cache's marker. */
  record Loaded(
      long requestRows,
      ScaleEvents.Chain chain,
      long millisRows,
      long millisEvents,
      long millisBuilding,
      long activityCalls,
      long millisActivity,
      long millisIndexes,
      long millisVacuum) {
    @Override
    public String toString() {
      return String.format(
          "%,d request/grant/approval/people rows in %.1f s; %,d audit events and their"
              + " ledger rows in %.1f s (%.1f s of it building and hashing rows); %,d cloud"
              + " calls in %.1f s; keys and indexes rebuilt in %.1f s; vacuum and analyze %.1f s",
          requestRows,
          millisRows / 1e3,
          chain.count(),
          millisEvents / 1e3,
          millisBuilding / 1e3,
          activityCalls,
          millisActivity / 1e3,
          millisIndexes / 1e3,
          millisVacuum / 1e3);
    }
  }

  private ScaleLoader() {}

  static Loaded load(DatabaseUrl superuser, ScaleSpec spec) throws Exception {
    try (Connection c = fastConnection(superuser);
        Connection second = fastConnection(superuser);
        Statement s = c.createStatement()) {
      s.execute("SET maintenance_work_mem = '512MB'");
      ensurePartitions(s, spec);
      List<String> rebuild = dropKeysAndIndexes(s);
      long t0 = System.nanoTime();
      List<Req> reqs = ScaleRequests.generate(spec);
      long rows = ScaleRows.load(c, spec, reqs);
      long t1 = System.nanoTime();
      long cpu = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
      ScaleEvents.Chain chain = ScaleEvents.load(c, second, spec, reqs);
      cpu = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpu;
      reqs = null; // the requests are not needed while the indexes build
      moveChainHead(c, chain);
      long t2 = System.nanoTime();
      long calls = ScaleActivity.load(c, second, spec);
      long t3 = System.nanoTime();
      for (String statement : rebuild) {
        s.execute(statement);
      }
      long t4 = System.nanoTime();
      s.execute("VACUUM (ANALYZE) " + String.join(", ", TABLES));
      long t5 = System.nanoTime();
      return new Loaded(
          rows,
          chain,
          ms(t1 - t0),
          ms(t2 - t1),
          ms(cpu),
          calls,
          ms(t3 - t2),
          ms(t4 - t3),
          ms(t5 - t4));
    }
  }

  /**
   * A connection for loading: triggers and foreign keys skipped, commits not waited for (the load
   * is made again if the machine stops half-way).
   */
  private static Connection fastConnection(DatabaseUrl superuser) throws SQLException {
    Connection c =
        DriverManager.getConnection(superuser.jdbcUrl(), superuser.user(), superuser.password());
    try (Statement s = c.createStatement()) {
      s.execute("SET session_replication_role = replica");
      s.execute("SET synchronous_commit = off");
    }
    return c;
  }

  /**
   * A schema that keeps the chain's head in a row of its own moves it by a trigger on insert, which
   * the fast path skips: the head is set here to the last event loaded, as the trigger would have
   * set it.
   */
  static void moveChainHead(Connection c, ScaleEvents.Chain chain) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT to_regclass('audit_chain_head') IS NOT NULL")) {
      rs.next();
      if (!rs.getBoolean(1)) {
        return;
      }
    }
    try (var p = c.prepareStatement("UPDATE audit_chain_head SET seq = ?, hash = ?")) {
      p.setLong(1, chain.count());
      p.setString(2, chain.headHash());
      if (p.executeUpdate() != 1) {
        throw new IllegalStateException("audit_chain_head has no row to move");
      }
    }
  }

  private static long ms(long nanos) {
    return nanos / 1_000_000;
  }

  /**
   * Partitions for the year and a day on each side, if the audit table is partitioned by a function
   * of the schema's; a table without partitions takes every row as it is.
   */
  static void ensurePartitions(Statement s, ScaleSpec spec) throws SQLException {
    String kind = null;
    try (ResultSet rs =
        s.executeQuery(
            "SELECT prokind FROM pg_proc p JOIN pg_namespace n"
                + " ON n.oid = p.pronamespace WHERE p.proname = 'audit_partitions_ensure'"
                + " AND n.nspname = current_schema()")) {
      if (rs.next()) {
        kind = rs.getString(1);
      }
    }
    if (kind == null) {
      return;
    }
    String args =
        "('"
            + spec.start().minusSeconds(86_400)
            + "', '"
            + spec.end().plusSeconds(86_400 * 32)
            + "')";
    s.execute(("p".equals(kind) ? "CALL" : "SELECT") + " audit_partitions_ensure" + args);
  }

  /**
   * Drops the unique keys no foreign key depends on and every other index of the loaded tables (for
   * a partitioned table, its partitions' follow), answering the statements that make them again.
   */
  static List<String> dropKeysAndIndexes(Statement s) throws SQLException {
    String tables = "('" + String.join("','", TABLES) + "')";
    List<String> drop = new ArrayList<>();
    List<String> rebuild = new ArrayList<>();
    try (ResultSet rs =
        s.executeQuery(
            "SELECT c.conrelid::regclass::text, c.conname,"
                + " pg_get_constraintdef(c.oid) FROM pg_constraint c"
                + " WHERE c.contype IN ('p', 'u') AND c.conparentid = 0"
                + " AND c.conrelid::regclass::text IN "
                + tables
                + " AND NOT EXISTS (SELECT 1 FROM pg_constraint f WHERE f.contype = 'f'"
                + " AND f.conindid = c.conindid) ORDER BY 1, 2")) {
      while (rs.next()) {
        drop.add("ALTER TABLE " + rs.getString(1) + " DROP CONSTRAINT " + rs.getString(2));
        rebuild.add(
            "ALTER TABLE "
                + rs.getString(1)
                + " ADD CONSTRAINT "
                + rs.getString(2)
                + " "
                + rs.getString(3));
      }
    }
    try (ResultSet rs =
        s.executeQuery(
            "SELECT indexname, indexdef FROM pg_indexes"
                + " WHERE schemaname = current_schema() AND tablename IN "
                + tables
                + " AND indexname NOT IN (SELECT conname FROM pg_constraint) ORDER BY 1")) {
      while (rs.next()) {
        drop.add("DROP INDEX " + rs.getString(1));
        // A partitioned table's index reads "ON ONLY"; built again it must reach the partitions.
        rebuild.add(rs.getString(2).replace(" ON ONLY ", " ON "));
      }
    }
    for (String statement : drop) {
      s.execute(statement);
    }
    return rebuild;
  }
}
