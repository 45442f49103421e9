package dev.stint.db;

import io.vertx.pgclient.PgException;
import java.util.concurrent.TimeoutException;

/**
 * The database did not answer in time: a statement, a connection from a pool, or a new connection.
 * A {@link TimeoutException}, so {@link Reachability#unreachable} takes it for the database out of
 * reach: the caller is told to try again (503 {@code unavailable}), never that stint broke. Its
 * message names what waited and for how long, nothing of the statement.
 */
public final class Unanswered extends TimeoutException {
  private static final long serialVersionUID = 1L;

  public Unanswered(String message) {
    super(message);
  }

  public Unanswered(String message, Throwable cause) {
    super(message);
    initCause(cause);
  }

  /**
   * What a statement failed with, when its connection was dropped while it waited: the statements
   * queued behind an unanswered one fail with the client's own "closed" or "failed to be sent",
   * which must read as the database out of reach too. An answer of Postgres's own stays as it is.
   */
  static Throwable ofDropped(boolean dropped, Throwable failure) {
    if (dropped && !(failure instanceof Unanswered) && !(failure instanceof PgException)) {
      return new Unanswered(
          "the database connection was dropped: a statement on it went unanswered", failure);
    }
    return failure;
  }
}
