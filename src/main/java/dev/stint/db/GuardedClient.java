package dev.stint.db;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.PrepareOptions;
import io.vertx.sqlclient.PreparedQuery;
import io.vertx.sqlclient.Query;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import java.time.Duration;
import java.util.Set;
import java.util.function.Function;

/**
 * The pipelined connections with a deadline on every statement. Vert.x picks the connection a
 * statement goes out on, so a statement past its deadline drops every one of them that has waited
 * that long without a byte from the database since it last sent something: the one it waits on is
 * among them, and each statement queued there fails at once instead of waiting its turn behind the
 * first. A connection still answering (a slow statement, not a silent peer) is left alone. Every
 * statement here shares one deadline, so a connection that quiet for that long has failed them.
 */
final class GuardedClient implements SqlClient {
  private final SqlClient inner;
  private final Vertx vertx;
  private final long millis;
  private final Set<Link> links;
  private volatile boolean cutAny;
  private volatile long lastCut;

  GuardedClient(SqlClient inner, Vertx vertx, Duration deadline, Set<Link> links) {
    this.inner = inner;
    this.vertx = vertx;
    this.millis = Deadline.millis(deadline);
    this.links = links;
  }

  private <R> Future<R> run(Function<SqlClient, Future<R>> statement) {
    long sent = System.nanoTime();
    Future<R> work;
    try {
      work = statement.apply(inner);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return Deadline.of(vertx, millis, "a statement", work, this::dropSilent)
        .recover(failure -> explained(failure, sent));
  }

  /** Drops each connection silent for the deadline or longer. */
  private void dropSilent() {
    long nanos = millis * 1_000_000L;
    for (Link link : links) {
      if (link.cutIfWaiting(nanos)) {
        lastCut = System.nanoTime();
        cutAny = true;
      }
    }
  }

  /** A statement failed by a connection dropped since it was sent fails as unanswered. */
  private <R> Future<R> explained(Throwable failure, long sent) {
    return Future.failedFuture(Unanswered.ofDropped(cutAny && lastCut - sent >= 0, failure));
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
  public Future<Void> close() {
    return inner.close();
  }
}
