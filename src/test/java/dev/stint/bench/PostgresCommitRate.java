package dev.stint.bench;

import dev.stint.config.DatabaseUrl;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * The floor under every audited issuance: how many single-row transactions one connection can
 * commit per second on the same Postgres (with the same fsync and synchronous_commit settings).
 */
public final class PostgresCommitRate {
  private PostgresCommitRate() {}

  /** Commits one-row INSERTs back to back on one JDBC connection for {@code duration}. */
  public static double perSecond(DatabaseUrl url, Duration duration) throws SQLException {
    try (Connection c = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password())) {
      try (Statement s = c.createStatement()) {
        s.execute(
            "CREATE TABLE IF NOT EXISTS bench_commits (id bigserial PRIMARY KEY,"
                + " at timestamptz NOT NULL DEFAULT now(), note text)");
      }
      c.setAutoCommit(true); // each execute is its own transaction: one commit per row
      long n = 0;
      long start = System.nanoTime();
      long end = start + duration.toNanos();
      try (PreparedStatement insert =
          c.prepareStatement("INSERT INTO bench_commits (note) VALUES (?)")) {
        while (System.nanoTime() < end) {
          insert.setString(1, "row " + n);
          insert.executeUpdate();
          n++;
        }
      }
      double rate = n / ((System.nanoTime() - start) / 1e9);
      try (Statement s = c.createStatement()) {
        s.execute("DROP TABLE bench_commits");
      }
      return rate;
    }
  }
}
