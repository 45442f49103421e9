package dev.stint.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The audit table's months as whoever keeps them sees the table, over JDBC as the schema's owner
 * (only it may detach one): which months it has, where the chain starts, and a month detached or
 * attached again. The audit package alone names {@code audit_events} in SQL (the table owners in
 * docs/design.md); what is done with a month, and when, is its caller's.
 *
 * <p>A month is named by its partition, {@code audit_events_YYYY_MM}, the name {@code
 * audit_partitions_ensure} gives it; any other name is refused before it reaches a statement, so
 * splicing one in cannot inject anything.
 */
public final class AuditTableMonths {
  private static final Pattern MONTH = Pattern.compile("audit_events_\\d{4}_\\d{2}");

  private AuditTableMonths() {}

  /** The tables attached to the audit table, by name, oldest month first. */
  public static List<String> partitions(Connection c) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
                    + " WHERE i.inhparent = 'audit_events'::regclass ORDER BY c.relname")) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  /** The seq of the oldest event the table holds: where the chain now starts. */
  public static long oldestSeq(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT min(seq) FROM audit_events")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** How many events stamped from {@code from} on have a seq up to {@code seq}. */
  public static long stampedFromUpTo(Connection c, Instant from, long seq) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT count(*) FROM audit_events WHERE occurred_at >= ? AND seq <= ?")) {
      s.setTimestamp(1, Timestamp.from(from));
      s.setLong(2, seq);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /**
   * Detaches {@code month} without blocking appends (CONCURRENTLY takes no lock an INSERT waits
   * for), or finishes a detach an interrupted round left pending.
   */
  public static void detach(Connection c, String month, boolean pending) throws SQLException {
    String statement =
        "ALTER TABLE audit_events DETACH PARTITION "
            + checked(month)
            + (pending ? " FINALIZE" : " CONCURRENTLY");
    try (Statement s = c.createStatement()) {
      s.execute("SET lock_timeout = '30s'");
      s.execute(statement);
    }
  }

  /** Attaches {@code month} again, for the events stamped in [{@code from}, {@code until}). */
  public static void attach(Connection c, String month, Instant from, Instant until)
      throws SQLException {
    String statement =
        "ALTER TABLE audit_events ATTACH PARTITION "
            + checked(month)
            + " FOR VALUES FROM ('"
            + from
            + "') TO ('"
            + until
            + "')";
    try (Statement s = c.createStatement()) {
      s.execute(statement);
    }
  }

  private static String checked(String month) {
    if (!MONTH.matcher(month).matches()) {
      throw new IllegalArgumentException("not a month of the audit table: " + month);
    }
    return month;
  }
}
