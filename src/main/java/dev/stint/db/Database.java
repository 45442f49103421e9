package dev.stint.db;

import dev.stint.config.DatabaseUrl;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgException;
import io.vertx.pgclient.SslMode;
import io.vertx.sqlclient.ClosedConnectionException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlClient;
import java.net.ConnectException;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * The shared, asynchronous connections to stint's Postgres: a pool for transactions and statements
 * that need a connection of their own, and a few pipelined connections for the single statements
 * every issuance makes.
 */
public final class Database implements AutoCloseable {
  private static final int CONNECT_TIMEOUT_MS = 5_000;
  private static final long PING_TIMEOUT_MS = 2_000;

  /**
   * Two, so that one slow statement or one dropped connection does not hold up every read;
   * pipelining lets each carry hundreds of statements in flight.
   */
  private static final int PIPELINED_CONNECTIONS = 2;

  /**
   * SQLSTATEs of a server that cannot serve now: class 08 (connection exception), 57P01-57P03
   * (admin or crash shutdown, cannot connect now) and 25006 (a read-only transaction: a standby).
   */
  private static final Predicate<String> UNREACHABLE_STATES =
      state ->
          state != null
              && (state.startsWith("08")
                  || Set.of("57P01", "57P02", "57P03", "25006").contains(state));

  /** Why {@link #ping()} fails on a standby: a caller-safe reason, shown by {@code /readyz}. */
  public static final String READ_ONLY = "read-only: a standby, not the primary";

  /** How the pipelined connections show in {@code pg_stat_activity}; the others are "stint". */
  public static final String PIPELINED_APPLICATION_NAME = "stint-pipelined";

  private final Pool pool;
  private final SqlClient pipelined;

  private Database(Pool pool, SqlClient pipelined) {
    this.pool = pool;
    this.pipelined = pipelined;
  }

  /**
   * The pool shows in {@code /metrics} as {@code pool_name="stint"}, the pipelined connections as
   * {@code "stint-pipelined"}. Without names every pool would register Vert.x's pool meters under
   * one default name, and all but the first would be dropped.
   */
  public static Database connect(Vertx vertx, DatabaseUrl url, int poolSize) {
    PgConnectOptions connect = connectOptions(url);
    Pool pool = pool(vertx, connect, poolSize, "stint");
    // Statements queue on a connection instead of each taking one from the pool: at 64
    // concurrent issuances this measured more issuances per second, since Postgres wakes a
    // couple of busy backends rather than eight (docs/design.md, "Figures behind choices").
    SqlClient pipelined =
        PgBuilder.client()
            .with(poolOptions(PIPELINED_CONNECTIONS, PIPELINED_APPLICATION_NAME))
            .with(new NetClientOptions().setConnectTimeout(CONNECT_TIMEOUT_MS))
            .connectingTo(
                new PgConnectOptions(connect)
                    .addProperty("application_name", PIPELINED_APPLICATION_NAME))
            .using(vertx)
            .build();
    return new Database(pool, pipelined);
  }

  /**
   * A pool alone, without pipelined connections (the audit writer only runs transactions), shown in
   * {@code /metrics} as {@code pool_name=name}.
   */
  public static Pool pool(Vertx vertx, DatabaseUrl url, int size, String name) {
    return pool(vertx, connectOptions(url), size, name);
  }

  private static Pool pool(Vertx vertx, PgConnectOptions connect, int size, String name) {
    return PgBuilder.pool()
        .with(poolOptions(size, name))
        .with(new NetClientOptions().setConnectTimeout(CONNECT_TIMEOUT_MS))
        .connectingTo(connect)
        .using(vertx)
        .build();
  }

  private static PoolOptions poolOptions(int size, String name) {
    return new PoolOptions()
        .setName(name)
        .setMaxSize(size)
        // A request waiting for a connection longer than this fails instead of piling up.
        .setConnectionTimeout(5)
        .setConnectionTimeoutUnit(TimeUnit.SECONDS)
        // Connections found dead (database restarted) are dropped and replaced, not reused.
        .setIdleTimeout(60)
        .setIdleTimeoutUnit(TimeUnit.SECONDS);
  }

  /** How to open a single connection of its own (LISTEN needs one outside the pool). */
  public static PgConnectOptions connectOptions(DatabaseUrl url) {
    PgConnectOptions connect =
        new PgConnectOptions()
            .setHost(url.host())
            .setPort(url.port())
            .setDatabase(url.database())
            .setUser(url.user())
            .setPassword(url.password())
            .setCachePreparedStatements(true)
            .addProperty("application_name", "stint");
    String sslMode = url.params().get("sslmode");
    if (sslMode != null) {
      connect.setSslMode(SslMode.of(sslMode));
    }
    String rootCert = url.params().get("sslrootcert");
    if (rootCert != null) {
      // As libpq: the server's certificate must chain to this CA; verify-full also checks that
      // it names the host connected to.
      ClientSSLOptions ssl =
          new ClientSSLOptions().setTrustOptions(new PemTrustOptions().addCertPath(rootCert));
      ssl.setHostnameVerificationAlgorithm(
          connect.getSslMode() == SslMode.VERIFY_FULL ? "HTTPS" : "");
      connect.setSslOptions(ssl);
    }
    return connect;
  }

  public Pool pool() {
    return pool;
  }

  /**
   * For single statements outside a transaction on the hot path. They share a few connections,
   * pipelined, in the order sent; a transaction or a session setting needs {@link #pool()}.
   */
  public SqlClient pipelined() {
    return pipelined;
  }

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

  /**
   * Succeeds when the database answers within a short time and takes writes; fails with {@link
   * #READ_ONLY} on a hot standby. A standby answers reads, but no issuance can be recorded there:
   * the service address moved to it before its promotion finished, or points at a replica.
   */
  public Future<Void> ping() {
    return pool.query("SELECT pg_is_in_recovery()")
        .execute()
        .timeout(PING_TIMEOUT_MS, TimeUnit.MILLISECONDS)
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
