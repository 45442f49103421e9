package dev.stint.db;

import io.vertx.core.Future;
import io.vertx.sqlclient.PreparedQuery;
import io.vertx.sqlclient.Query;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlResult;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collector;

/**
 * A statement, simple or prepared, whose every execution goes through a {@link Runner}: the runner
 * picks the client it runs on (a connection of its own from a pool, the caller's connection, the
 * pipelined connections) and holds it to its deadline. The statement is made anew on that client
 * each time, with the mapping or collecting asked for.
 */
final class GuardedQuery<T> implements PreparedQuery<T> {
  /** Runs one statement on a client it picks, within its deadline. */
  interface Runner {
    <R> Future<R> run(Function<SqlClient, Future<R>> statement);
  }

  private final Function<SqlClient, ? extends Query<T>> make;
  private final Runner runner;

  GuardedQuery(Function<SqlClient, ? extends Query<T>> make, Runner runner) {
    this.make = make;
    this.runner = runner;
  }

  static GuardedQuery<RowSet<Row>> simple(String sql, Runner runner) {
    return new GuardedQuery<>(client -> client.query(sql), runner);
  }

  static GuardedQuery<RowSet<Row>> prepared(String sql, Runner runner) {
    return new GuardedQuery<>(client -> client.preparedQuery(sql), runner);
  }

  @Override
  public Future<T> execute() {
    return runner.run(client -> make.apply(client).execute());
  }

  @Override
  public Future<T> execute(Tuple tuple) {
    return runner.run(client -> asPrepared(client).execute(tuple));
  }

  @Override
  public Future<T> executeBatch(List<Tuple> batch) {
    return runner.run(client -> asPrepared(client).executeBatch(batch));
  }

  @Override
  public <R> PreparedQuery<SqlResult<R>> collecting(Collector<Row, ?, R> collector) {
    return new GuardedQuery<>(client -> make.apply(client).collecting(collector), runner);
  }

  @Override
  public <U> PreparedQuery<RowSet<U>> mapping(Function<Row, U> mapper) {
    return new GuardedQuery<>(client -> make.apply(client).mapping(mapper), runner);
  }

  private PreparedQuery<T> asPrepared(SqlClient client) {
    if (make.apply(client) instanceof PreparedQuery<T> prepared) {
      return prepared;
    }
    // SqlClient.query(sql) is a simple query, which Postgres runs without parameters: a caller
    // giving it some has the wrong statement, and is told so rather than having them dropped.
    throw new IllegalStateException("a simple query takes no parameters: use preparedQuery(sql)");
  }
}
