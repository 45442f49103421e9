package dev.stint.db;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.PrepareOptions;
import io.vertx.sqlclient.PreparedQuery;
import io.vertx.sqlclient.PreparedStatement;
import io.vertx.sqlclient.Query;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import io.vertx.sqlclient.spi.DatabaseMetadata;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A connection whose every statement (BEGIN, COMMIT and ROLLBACK too) has a deadline. A statement
 * past it fails with {@link Unanswered} and the connection is dropped ({@link Link#cut}): whatever
 * else waits on it fails at once, and the pool never hands it out again. Closed while statements
 * are still out on it (its user gave up on them), it is dropped as well rather than handed back
 * with answers still due.
 */
final class GuardedConnection implements SqlConnection {
  private final SqlConnection inner;
  private final Vertx vertx;
  private final long millis;
  private final Link link;
  private final AtomicInteger pending = new AtomicInteger();

  GuardedConnection(SqlConnection inner, Vertx vertx, long millis) {
    this.inner = inner;
    this.vertx = vertx;
    this.millis = millis;
    this.link = Link.of(inner).orElse(null);
  }

  /** One statement on this connection, within the deadline. */
  <R> Future<R> run(Function<SqlClient, Future<R>> statement) {
    return run(statement, millis);
  }

  /** One statement on this connection, within {@code within} ms; past it the connection drops. */
  <R> Future<R> run(Function<SqlClient, Future<R>> statement, long within) {
    pending.incrementAndGet();
    Future<R> work;
    try {
      work = statement.apply(inner);
    } catch (RuntimeException e) {
      pending.decrementAndGet();
      return Future.failedFuture(e);
    }
    work.onComplete(done -> pending.decrementAndGet());
    return Deadline.of(vertx, within, "a statement", work, this::drop).recover(this::explained);
  }

  /** The connection underneath, as stint watches it (none for one that is not a socket). */
  Optional<Link> link() {
    return Optional.ofNullable(link);
  }

  /** The link of {@code conn}: one the pool handed out, or one made by the connection factory. */
  static Optional<Link> linkOf(SqlConnection conn) {
    return conn instanceof GuardedConnection guarded ? guarded.link() : Link.of(conn);
  }

  /** Drops the connection: every statement on it fails at once. */
  void drop() {
    if (link != null) {
      link.cut();
    }
  }

  /**
   * A statement that failed because stint dropped its connection (another statement on it went
   * unanswered) fails as unanswered too, whatever Vert.x said of it ("connection closed", "pending
   * requests failed to be sent").
   */
  private <R> Future<R> explained(Throwable failure) {
    return Future.failedFuture(Unanswered.ofDropped(link != null && link.wasCut(), failure));
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
  public Future<PreparedStatement> prepare(String sql) {
    return run(client -> ((SqlConnection) client).prepare(sql));
  }

  @Override
  public Future<PreparedStatement> prepare(String sql, PrepareOptions options) {
    return run(client -> ((SqlConnection) client).prepare(sql, options));
  }

  @Override
  public SqlConnection exceptionHandler(Handler<Throwable> handler) {
    inner.exceptionHandler(handler);
    return this;
  }

  @Override
  public SqlConnection closeHandler(Handler<Void> handler) {
    inner.closeHandler(handler);
    return this;
  }

  @Override
  public Future<Transaction> begin() {
    return run(client -> ((SqlConnection) client).begin()).map(Tx::new);
  }

  @Override
  public Transaction transaction() {
    Transaction tx = inner.transaction();
    return tx == null ? null : new Tx(tx);
  }

  @Override
  public boolean isSSL() {
    return inner.isSSL();
  }

  @Override
  public DatabaseMetadata databaseMetadata() {
    return inner.databaseMetadata();
  }

  @Override
  public Future<Void> close() {
    if (pending.get() > 0) {
      drop();
    }
    return inner.close();
  }

  /** COMMIT and ROLLBACK are statements like any other: within the deadline. */
  private final class Tx implements Transaction {
    private final Transaction inner;

    Tx(Transaction inner) {
      this.inner = inner;
    }

    @Override
    public Future<Void> commit() {
      return run(client -> inner.commit());
    }

    @Override
    public Future<Void> rollback() {
      return run(client -> inner.rollback());
    }

    @Override
    public Future<Void> completion() {
      return inner.completion();
    }
  }
}
