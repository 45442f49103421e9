package dev.stint.db;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.util.function.Function;

/**
 * Reads of several statements that must see one moment of the database. Postgres's default READ
 * COMMITTED gives each statement its own snapshot, so a request read row by row (the request, then
 * its votes, then its grant) could show a decision committed between two of them by halves: an
 * approved request without its grant, an approved extension beside the grant's old end. In one
 * REPEATABLE READ, READ ONLY transaction every statement sees the same snapshot, and takes no row
 * lock.
 */
public final class Snapshot {
  /** The transaction's first statement: it must precede every read in it. */
  static final String BEGIN_SNAPSHOT = "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY";

  private Snapshot() {}

  /** {@code reads} on one connection, every statement seeing the database as of its first. */
  public static <T> Future<T> read(Pool pool, Function<SqlConnection, Future<T>> reads) {
    return pool.withTransaction(
        conn -> conn.query(BEGIN_SNAPSHOT).execute().compose(set -> reads.apply(conn)));
  }
}
