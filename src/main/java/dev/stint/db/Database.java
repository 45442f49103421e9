package dev.stint.db;

import dev.stint.config.DatabaseUrl;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.util.concurrent.TimeUnit;

/** The shared, asynchronous connection pool to stint's Postgres. */
public final class Database implements AutoCloseable {
  private static final int CONNECT_TIMEOUT_MS = 5_000;
  private static final long PING_TIMEOUT_MS = 2_000;

  private final Pool pool;

  private Database(Pool pool) {
    this.pool = pool;
  }

  public static Database connect(Vertx vertx, DatabaseUrl url, int poolSize) {
    PgConnectOptions connect = connectOptions(url);
    PoolOptions options = new PoolOptions()
        .setMaxSize(poolSize)
        // A request waiting for a connection longer than this fails instead of piling up.
        .setConnectionTimeout(5)
        .setConnectionTimeoutUnit(TimeUnit.SECONDS)
        // Connections found dead (database restarted) are dropped and replaced, not reused.
        .setIdleTimeout(60)
        .setIdleTimeoutUnit(TimeUnit.SECONDS);
    Pool pool = PgBuilder.pool()
        .with(options)
        .with(new NetClientOptions().setConnectTimeout(CONNECT_TIMEOUT_MS))
        .connectingTo(connect)
        .using(vertx)
        .build();
    return new Database(pool);
  }

  /** How to open a single connection of its own (LISTEN needs one outside the pool). */
  public static PgConnectOptions connectOptions(DatabaseUrl url) {
    PgConnectOptions connect = new PgConnectOptions()
        .setHost(url.host())
        .setPort(url.port())
        .setDatabase(url.database())
        .setUser(url.user())
        .setPassword(url.password())
        .setCachePreparedStatements(true);
    String sslMode = url.params().get("sslmode");
    if (sslMode != null) {
      connect.setSslMode(SslMode.of(sslMode));
    }
    return connect;
  }

  public Pool pool() {
    return pool;
  }

  /** Succeeds when the database answers a trivial query within a short time. */
  public Future<Void> ping() {
    return pool.query("SELECT 1").execute()
        .timeout(PING_TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .mapEmpty();
  }

  @Override
  public void close() {
    pool.close();
  }

  public Future<Void> closeAsync() {
    return pool.close();
  }
}
