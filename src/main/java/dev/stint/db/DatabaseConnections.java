package dev.stint.db;

import dev.stint.config.DatabaseUrl;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;
import io.vertx.pgclient.pubsub.PgSubscriber;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * How to reach a Postgres by its URL, with the deadlines {@link Database} describes: the options of
 * one connection, a pool alone, and a LISTEN connection of its own. {@link Database} connects
 * stint's own database through these.
 */
public final class DatabaseConnections {
  /**
   * A pool's own wait for a free connection, beyond the deadline: the deadline answers the caller,
   * and the pool forgets a request shortly after, rather than serve it to nobody.
   */
  private static final Duration POOL_WAIT_BEYOND_DEADLINE = Duration.ofSeconds(1);

  private DatabaseConnections() {}

  /**
   * A pool alone, without pipelined connections (the audit writer only runs transactions), shown in
   * {@code /metrics} as {@code pool_name=name}; with the default timeouts.
   */
  public static Pool pool(Vertx vertx, DatabaseUrl url, int size, String name) {
    return pool(vertx, url, size, name, DatabaseTimeouts.DEFAULTS);
  }

  /** As above, with these timeouts. */
  public static Pool pool(
      Vertx vertx, DatabaseUrl url, int size, String name, DatabaseTimeouts timeouts) {
    return pool(vertx, options(url), size, name, timeouts);
  }

  static GuardedPool pool(
      Vertx vertx, PgConnectOptions connect, int size, String name, DatabaseTimeouts timeouts) {
    Pool pool =
        new LinkedDriver(timeouts)
            .createPool(
                vertx,
                () -> Future.succeededFuture(connect),
                poolOptions(size, name, timeouts),
                transport(timeouts),
                null);
    return new GuardedPool(pool, vertx, timeouts.statement());
  }

  static PoolOptions poolOptions(int size, String name, DatabaseTimeouts timeouts) {
    return new PoolOptions()
        .setName(name)
        .setMaxSize(size)
        // A request waiting for a connection longer than this fails instead of piling up.
        .setConnectionTimeout((int) timeouts.statement().plus(POOL_WAIT_BEYOND_DEADLINE).toMillis())
        .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS)
        // Connections found dead (database restarted) are dropped and replaced, not reused.
        .setIdleTimeout(60)
        .setIdleTimeoutUnit(TimeUnit.SECONDS);
  }

  /**
   * The TCP side of every connection: the connect deadline, keepalive (its timings are set on each
   * connection by {@link Link}), and {@code TCP_USER_TIMEOUT}, which Vert.x applies where it runs
   * on a native transport (epoll) and which the JDK's own transport, stint's default, has no option
   * for.
   */
  static NetClientOptions transport(DatabaseTimeouts timeouts) {
    return new NetClientOptions()
        .setConnectTimeout((int) Deadline.millis(timeouts.connect()))
        .setTcpKeepAlive(true)
        .setTcpUserTimeout(timeouts.tcpUserTimeoutMillis());
  }

  /** How to open a single connection of its own (LISTEN needs one outside the pool). */
  public static PgConnectOptions options(DatabaseUrl url) {
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

  /**
   * A LISTEN connection of its own, as {@link Database#subscriber()} makes one, for a database
   * without a {@code Database} of its own.
   */
  public static PgSubscriber subscriber(Vertx vertx, DatabaseUrl url, DatabaseTimeouts timeouts) {
    return new Listener(vertx, options(url), transport(timeouts), timeouts);
  }
}
