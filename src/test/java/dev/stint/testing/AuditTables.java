package dev.stint.testing;

import dev.stint.config.DatabaseUrl;
import io.vertx.core.Future;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Test access to a stint database behind stint's back, over JDBC as the given role: read the audit
 * table as text (for greps), count rows, run raw SQL (tampering). Each call is a statement of its
 * own; the running class's databases keep their sessions between calls ({@link ClassSessions}), so
 * a lock or a transaction a test must hold needs a connection of its own ({@link #connect}).
 */
public final class AuditTables {
  private AuditTables() {}

  public static Connection connect(DatabaseUrl url) throws SQLException {
    return DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
  }

  /** Every audit row as its Postgres text form, in seq order. */
  public static List<String> rowsAsText(DatabaseUrl url) throws SQLException {
    return strings(url, "SELECT t::text FROM audit_events t ORDER BY seq");
  }

  public static long count(DatabaseUrl url, String where) throws SQLException {
    return Long.parseLong(strings(url, "SELECT count(*) FROM audit_events WHERE " + where).get(0));
  }

  public static List<String> strings(DatabaseUrl url, String sql) throws SQLException {
    return ClassSessions.with(
        url,
        c -> {
          try (Statement s = c.createStatement();
              ResultSet rs = s.executeQuery(sql)) {
            List<String> out = new ArrayList<>();
            while (rs.next()) {
              out.add(rs.getString(1));
            }
            return out;
          }
        });
  }

  public static void execute(DatabaseUrl url, String sql) throws SQLException {
    ClassSessions.with(
        url,
        c -> {
          try (Statement s = c.createStatement()) {
            return s.execute(sql);
          }
        });
  }

  /**
   * Changes an audit row the way an attacker with superuser rights could (stint's own roles cannot
   * switch the triggers off), in a database on the shared test server.
   */
  public static void tamper(DatabaseUrl url, String update) throws SQLException {
    execute(
        TestPostgres.asSuperuser(url),
        "ALTER TABLE audit_events DISABLE TRIGGER ALL; "
            + update
            + "; ALTER TABLE audit_events ENABLE TRIGGER ALL");
  }

  /** How long {@link #await} waits, before {@link Patience} stretches it. */
  static final Duration AWAIT = Duration.ofSeconds(30);

  /** Waits for a Vert.x future from a test thread. */
  public static <T> T await(Future<T> future) throws Exception {
    return future
        .toCompletionStage()
        .toCompletableFuture()
        .get(Patience.of(AWAIT).toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The failure of a future that must fail. */
  public static Throwable failure(Future<?> future) throws Exception {
    try {
      await(future);
    } catch (ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError("expected the future to fail");
  }
}
