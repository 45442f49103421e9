package dev.stint.testing;

import dev.stint.config.DatabaseUrl;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.TransactionState;

/**
 * The sessions tests open behind stint's back ({@link AuditTables}) to the databases the running
 * class made on the shared test server, kept for the class's next call and closed when it ends:
 * each new session is a new Postgres process, which costs Postgres more than most of the reads a
 * test makes (a polling loop opened hundreds). A kept session is handed to one caller at a time and
 * comes back reset ({@code DISCARD ALL}: settings, locks, prepared statements), and only when it
 * ended outside a transaction; one that failed is closed. A database elsewhere, or one reached
 * through a proxy a test moves or silences, gets a new session each time.
 */
final class ClassSessions {
  /** How long a check that a kept session still answers may take. */
  private static final int VALID_SECONDS = 2;

  /**
   * At most this many idle sessions are kept across the class's databases and roles: a class that
   * makes a database per test would otherwise hold idle backends against Postgres's connection
   * limit until it ends.
   */
  private static final int MOST_KEPT = 8;

  private static final Map<DatabaseUrl, Deque<Connection>> KEPT = new ConcurrentHashMap<>();

  private ClassSessions() {}

  /** What a test runs on a session. */
  interface Work<T> {
    T on(Connection c) throws SQLException;
  }

  static <T> T with(DatabaseUrl url, Work<T> work) throws SQLException {
    if (!TestPostgres.isClassDatabase(url)) {
      try (Connection c = AuditTables.connect(url)) {
        return work.on(c);
      }
    }
    Connection c = take(url);
    boolean answered = false;
    try {
      T result = work.on(c);
      answered = true;
      return result;
    } finally {
      if (answered) {
        giveBack(url, c);
      } else {
        c.close();
      }
    }
  }

  private static Connection take(DatabaseUrl url) throws SQLException {
    Deque<Connection> idle = KEPT.computeIfAbsent(url, u -> new ConcurrentLinkedDeque<>());
    for (Connection c = idle.poll(); c != null; c = idle.poll()) {
      // A test may have ended the kept session itself (pg_terminate_backend).
      if (c.isValid(VALID_SECONDS)) {
        return c;
      }
      c.close();
    }
    return AuditTables.connect(url);
  }

  private static void giveBack(DatabaseUrl url, Connection c) throws SQLException {
    boolean clean =
        c.getAutoCommit()
            && c.unwrap(BaseConnection.class).getTransactionState() == TransactionState.IDLE
            && TestPostgres.isClassDatabase(url)
            && KEPT.values().stream().mapToInt(Deque::size).sum() < MOST_KEPT;
    if (!clean) {
      c.close();
      return;
    }
    try (Statement s = c.createStatement()) {
      s.execute("DISCARD ALL");
    } catch (SQLException e) {
      c.close();
      return;
    }
    KEPT.computeIfAbsent(url, u -> new ConcurrentLinkedDeque<>()).push(c);
  }

  /** Closes every kept session: called before the class's databases are dropped. */
  static void closeAll() {
    for (Deque<Connection> idle : KEPT.values()) {
      for (Connection c = idle.poll(); c != null; c = idle.poll()) {
        try {
          c.close();
        } catch (SQLException ignored) {
          // a session that no longer answers has nothing left to close
        }
      }
    }
    KEPT.clear();
  }
}
