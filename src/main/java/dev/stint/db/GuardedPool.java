package dev.stint.db;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.impl.NoStackTraceThrowable;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PrepareOptions;
import io.vertx.sqlclient.PreparedQuery;
import io.vertx.sqlclient.Query;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A pool whose every statement has a deadline (see {@link GuardedConnection}). A statement on the
 * pool itself runs on a connection of its own, so that the one that went unanswered is the one
 * dropped; getting that connection counts against the same deadline. {@code withTransaction} and
 * {@code withConnection} hand their function a guarded connection.
 */
final class GuardedPool implements Pool {
  private final Pool inner;
  private final Vertx vertx;
  private final long millis;

  GuardedPool(Pool inner, Vertx vertx, Duration deadline) {
    this.inner = inner;
    this.vertx = vertx;
    this.millis = Deadline.millis(deadline);
  }

  /** The same pool, its statements held to {@code deadline} instead. */
  GuardedPool within(Duration deadline) {
    return new GuardedPool(inner, vertx, deadline);
  }

  @Override
  public Future<SqlConnection> getConnection() {
    return acquire(millis).map(conn -> conn);
  }

  private Future<GuardedConnection> acquire(long within) {
    return Deadline.of(
            vertx,
            within,
            "with a connection",
            inner.getConnection(),
            () -> {},
            SqlConnection::close) // it came after its caller gave up: back to the pool
        .recover(this::explained)
        .map(conn -> new GuardedConnection(conn, vertx, millis));
  }

  /**
   * The pool's own wait for a connection ran out (it is set a little longer than the deadline, but
   * a view with a longer deadline meets it first): as unanswered as a statement would be.
   */
  private <T> Future<T> explained(Throwable failure) {
    if (failure instanceof NoStackTraceThrowable && "Timeout".equals(failure.getMessage())) {
      return Future.failedFuture(
          new Unanswered("the database pool had no connection free in time", failure));
    }
    return Future.failedFuture(failure);
  }

  /** One statement on a connection of its own: getting it and the answer within the deadline. */
  private <R> Future<R> run(Function<SqlClient, Future<R>> statement) {
    long start = System.nanoTime();
    return acquire(millis)
        .compose(
            conn -> {
              long left = millis - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
              return conn.run(statement, Math.max(1, left)).onComplete(done -> conn.close());
            });
  }

  @Override
  public Query<RowSet<Row>> query(String sql) {
    return GuardedQuery.simple(sql, this::run);
  }

  @Override
  public PreparedQuery<RowSet<Row>> preparedQuery(String sql) {
    return GuardedQuery.prepared(sql, this::run);
  }

  @Override
  public PreparedQuery<RowSet<Row>> preparedQuery(String sql, PrepareOptions options) {
    return new GuardedQuery<>(client -> client.preparedQuery(sql, options), this::run);
  }

  @Override
  public int size() {
    return inner.size();
  }

  @Override
  public Future<Void> close() {
    return inner.close();
  }
}
