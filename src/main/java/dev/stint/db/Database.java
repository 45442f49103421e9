package dev.stint.db;

import dev.stint.config.DatabaseUrl;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.impl.PgPoolOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import java.time.Duration;

/**
 * The shared, asynchronous connections to stint's Postgres: a pool for transactions and statements
 * that need a connection of their own, and a few pipelined connections for the single statements
 * every issuance makes.
 *
 * <p>Every wait on the database has a deadline ({@link DatabaseTimeouts}), so a caller is answered
 * in time whatever the network does: a database whose address went silent (packets dropped, no
 * connection ever closed: an instance or a zone gone) is answered as unavailable (503) like one
 * that refused. Each statement, and getting a connection for it, must be answered within {@code
 * statement}; past it the statement fails with {@link Unanswered} and its connection is dropped at
 * once, with everything queued on it, and never handed out again. Making a connection must end
 * within {@code connect}, its handshake included. Every connection has TCP keepalive, so that a
 * dead one nobody uses is found too; the LISTEN connections ({@link #subscriber}) also ask the
 * database for an answer that often.
 */
public final class Database implements AutoCloseable {
  /** {@code /readyz} asks the database itself this long at most. */
  private static final Duration PING_DEADLINE = Duration.ofSeconds(2);

  /**
   * Two, so that one slow statement or one dropped connection does not hold up every read;
   * pipelining lets each carry hundreds of statements in flight.
   */
  private static final int PIPELINED_CONNECTIONS = 2;

  /** Why {@link #ping()} fails on a standby: a caller-safe reason, shown by {@code /readyz}. */
  public static final String READ_ONLY = "read-only: a standby, not the primary";

  /** How the pipelined connections show in {@code pg_stat_activity}; the others are "stint". */
  public static final String PIPELINED_APPLICATION_NAME = "stint-pipelined";

  private final Vertx vertx;
  private final DatabaseUrl url;
  private final DatabaseTimeouts timeouts;
  private final GuardedPool pool;
  private final GuardedClient pipelined;

  private Database(
      Vertx vertx,
      DatabaseUrl url,
      DatabaseTimeouts timeouts,
      GuardedPool pool,
      GuardedClient pipelined) {
    this.vertx = vertx;
    this.url = url;
    this.timeouts = timeouts;
    this.pool = pool;
    this.pipelined = pipelined;
  }

  /** As {@link #connect(Vertx, DatabaseUrl, int, DatabaseTimeouts)}, with the default timeouts. */
  public static Database connect(Vertx vertx, DatabaseUrl url, int poolSize) {
    return connect(vertx, url, poolSize, DatabaseTimeouts.DEFAULTS);
  }

  /**
   * The pool shows in {@code /metrics} as {@code pool_name="stint"}, the pipelined connections as
   * {@code "stint-pipelined"}. Without names every pool would register Vert.x's pool meters under
   * one default name, and all but the first would be dropped.
   */
  public static Database connect(
      Vertx vertx, DatabaseUrl url, int poolSize, DatabaseTimeouts timeouts) {
    PgConnectOptions connect = DatabaseConnections.options(url);
    GuardedPool pool = DatabaseConnections.pool(vertx, connect, poolSize, "stint", timeouts);
    // Statements queue on a connection instead of each taking one from the pool: at 64
    // concurrent issuances this measured more issuances per second, since Postgres wakes a
    // couple of busy backends rather than eight (docs/design.md, "Figures behind choices").
    LinkedDriver driver = new LinkedDriver(timeouts);
    SqlClient pipelined =
        driver.createPool(
            vertx,
            () ->
                Future.succeededFuture(
                    new PgConnectOptions(connect)
                        .addProperty("application_name", PIPELINED_APPLICATION_NAME)),
            new PgPoolOptions(
                    DatabaseConnections.poolOptions(
                        PIPELINED_CONNECTIONS, PIPELINED_APPLICATION_NAME, timeouts))
                .setPipelined(true),
            DatabaseConnections.transport(timeouts),
            null);
    return new Database(
        vertx,
        url,
        timeouts,
        pool,
        new GuardedClient(pipelined, vertx, timeouts.statement(), driver.links()));
  }

  /** The pool, each statement within {@link DatabaseTimeouts#statement()}. */
  public Pool pool() {
    return pool;
  }

  /**
   * The same pool, each statement within {@code deadline} instead: for reads that may take longer
   * than a caller's statement (the audit's pages, the chain's verification), whose connections are
   * then dropped only past their own deadline.
   */
  public Pool pool(Duration deadline) {
    return pool.within(deadline);
  }

  /**
   * For single statements outside a transaction on the hot path. They share a few connections,
   * pipelined, in the order sent; a transaction or a session setting needs {@link #pool()}.
   */
  public SqlClient pipelined() {
    return pipelined;
  }

  /**
   * A LISTEN connection of its own ({@code PgSubscriber}), with this database's timeouts and TCP
   * keepalive, and asked for an answer every {@link DatabaseTimeouts#keepalive()}: one that does
   * not answer is dropped and made again, and its channels' subscribe handlers called.
   */
  public PgSubscriber subscriber() {
    return DatabaseConnections.subscriber(vertx, url, timeouts);
  }

  /**
   * Succeeds when the database answers within {@link #PING_DEADLINE} and takes writes; fails with
   * {@link #READ_ONLY} on a hot standby. A standby answers reads, but no issuance can be recorded
   * there: the service address moved to it before its promotion finished, or points at a replica.
   */
  public Future<Void> ping() {
    // A connection of its own, never a pipelined one: the ping is not queued behind statements
    // waiting there. One that does not answer in time is dropped like any other.
    return pool.within(PING_DEADLINE)
        .query("SELECT pg_is_in_recovery()")
        .execute()
        .compose(
            rows ->
                rows.iterator().next().getBoolean(0)
                    ? Future.failedFuture(READ_ONLY)
                    : Future.succeededFuture());
  }

  @Override
  public void close() {
    closeAsync();
  }

  public Future<Void> closeAsync() {
    return Future.join(pool.close(), pipelined.close()).mapEmpty();
  }
}
