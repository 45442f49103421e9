package dev.stint.retention;

import dev.stint.audit.AuditTableMonths;
import dev.stint.sink.SinkCursors;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The statements retention runs as the schema's owner. Partition names only ever come from {@link
 * MonthPartition#of}, which admits {@code audit_events_YYYY_MM} alone, so splicing one into a
 * statement cannot inject anything.
 */
final class Sql {
  private Sql() {}

  /** A partition's seq range and size. */
  record Stats(long first, long last, long count) {}

  static boolean bool(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      return rs.next() && rs.getBoolean(1);
    }
  }

  /** The month partitions, oldest first. */
  static List<MonthPartition> partitions(Connection c) throws SQLException {
    List<MonthPartition> out = new ArrayList<>();
    for (String table : AuditTableMonths.partitions(c)) {
      MonthPartition.of(table).ifPresent(out::add);
    }
    return out;
  }

  static Stats stats(Connection c, MonthPartition p) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT coalesce(min(seq), 0), coalesce(max(seq), 0), count(*) FROM " + p.name())) {
      rs.next();
      return new Stats(rs.getLong(1), rs.getLong(2), rs.getLong(3));
    }
  }

  /**
   * Only the oldest piece of the chain can go: the month must hold a run of seqs with nothing
   * before it left in the table and nothing of it in a later month. Replicas' clocks can put
   * neighbouring events either side of a month's end; such a month is kept (and logged) rather than
   * leave a hole in the middle of the chain.
   */
  static void checkIsTheOldestPiece(Connection c, MonthPartition p, Stats stats)
      throws SQLException, IOException {
    long oldest = AuditTableMonths.oldestSeq(c);
    long laterBelow = AuditTableMonths.stampedFromUpTo(c, p.until(), stats.last());
    if (oldest != stats.first()
        || laterBelow > 0
        || stats.last() - stats.first() + 1 != stats.count()) {
      throw new IOException(
          p.name()
              + " (seq "
              + stats.first()
              + "-"
              + stats.last()
              + ") is not the oldest whole piece of the chain; kept");
    }
  }

  /**
   * A month leaves the database only once every configured sink has delivered it: a sink that lags
   * (its receiver down) would otherwise skip events that no longer exist. A sink that never
   * delivered anything counts as behind. The cursors are {@code sink}'s, read through it.
   */
  static void checkSinksArePast(Connection c, List<String> sinks, long lastSeq)
      throws SQLException {
    for (String sink : sinks) {
      long delivered = SinkCursors.deliveredUpTo(c, sink);
      if (delivered < lastSeq) {
        throw new SQLException(
            "audit sink '"
                + sink
                + "' has delivered up to seq "
                + delivered
                + " only; the month ending at seq "
                + lastSeq
                + " is kept until it has");
      }
    }
  }

  /**
   * Detached by the audit package's statement; one left pending by an interrupted round is
   * finished.
   */
  static void detachAndDrop(Connection c, MonthPartition p) throws SQLException {
    c.setAutoCommit(true);
    boolean pending;
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT inhdetachpending FROM pg_inherits WHERE inhrelid = '"
                    + p.name()
                    + "'::regclass")) {
      pending = rs.next() && rs.getBoolean(1);
    }
    AuditTableMonths.detach(c, p.name(), pending);
  }

  /**
   * Drops a detached month only if it still holds exactly what was exported: a row stamped in it
   * between the export and the detach (a clock far behind) would otherwise go unexported. Otherwise
   * the month is attached again, whole, and the round stops.
   */
  static void dropIfUnchanged(Connection c, MonthPartition p, Stats exported)
      throws SQLException, IOException {
    Stats now = stats(c, p);
    try (Statement s = c.createStatement()) {
      if (!now.equals(exported)) {
        AuditTableMonths.attach(c, p.name(), p.from(), p.until());
        throw new IOException(
            p.name()
                + " changed after its export ("
                + exported
                + ", now "
                + now
                + "); attached again, not dropped");
      }
      s.execute("DROP TABLE " + p.name());
    }
  }

  /** The prev_hash of the month's first event: what it links to before it. */
  static String firstPrevHash(Connection c, MonthPartition p, Stats stats) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement("SELECT prev_hash FROM " + p.name() + " WHERE seq = ?")) {
      s.setLong(1, stats.first());
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          throw new SQLException(p.name() + " has no event " + stats.first());
        }
        return rs.getString(1);
      }
    }
  }
}
