package dev.stint.db;

import java.util.concurrent.TimeoutException;

/**
 * The database did not answer in time: a statement, a connection from a pool, or a new connection.
 * A {@link TimeoutException}, so {@link Database#unreachable} takes it for the database out of
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
}
