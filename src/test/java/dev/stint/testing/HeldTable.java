package dev.stint.testing;

import dev.stint.config.DatabaseUrl;
import io.vertx.core.Future;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * A read made of several statements, caught between two of them: a table the read comes to later is
 * held, so the read stops there; a change commits meanwhile; then the table is let go and the read
 * goes on. What it shows tells whether its statements saw one moment.
 */
public final class HeldTable {
  private HeldTable() {}

  /**
   * Starts {@code read} while {@code table} of {@code url}'s database is held, commits {@code
   * change} (SQL, as the database's owner) once the read waits for the table, lets go, and returns
   * the read.
   */
  public static <T> Future<T> readAcross(
      DatabaseUrl url, String table, Supplier<Future<T>> read, String change) throws Exception {
    DatabaseUrl owner = TestPostgres.asOwner(url);
    try (Connection held = AuditTables.connect(owner);
        Statement s = held.createStatement()) {
      held.setAutoCommit(false);
      s.execute("LOCK TABLE " + table + " IN ACCESS EXCLUSIVE MODE");
      Future<T> reading = read.get();
      Eventually.until(
          "the read to stop at " + table,
          Duration.ofSeconds(10),
          () ->
              !AuditTables.strings(
                      owner,
                      "SELECT 1 FROM pg_locks WHERE relation = '"
                          + table
                          + "'::regclass AND NOT granted")
                  .isEmpty());
      // A change that needs the held table fails the test instead of waiting on it for ever.
      AuditTables.execute(owner, "SET lock_timeout = '10s'; " + change);
      held.rollback();
      return reading;
    }
  }
}
