package dev.stint.db;

import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.net.ConnectException;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/** Whether a failure says the database is out of reach, rather than that stint broke. */
public final class Reachability {
  /**
   * SQLSTATEs of a server that cannot serve now: class 08 (connection exception), 57P01-57P03
   * (admin or crash shutdown, cannot connect now) and 25006 (a read-only transaction: a standby).
   */
  private static final Predicate<String> UNREACHABLE_STATES =
      state ->
          state != null
              && (state.startsWith("08")
                  || Set.of("57P01", "57P02", "57P03", "25006").contains(state));

  private Reachability() {}

  /**
   * Whether {@code failure} (or a cause of it) says the database is out of reach or not the
   * primary: a connection closed, refused or timed out, Postgres shutting down, starting up or
   * recovering, or a read-only standby answering. During a failover every one of these is expected
   * and passes, so a caller is told to try again (503), never that stint broke (500).
   */
  public static boolean unreachable(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof ClosedConnectionException
          || t instanceof ConnectException
          || t instanceof TimeoutException
          || t instanceof PgException pg && UNREACHABLE_STATES.test(pg.getSqlState())) {
        return true;
      }
    }
    return false;
  }
}
