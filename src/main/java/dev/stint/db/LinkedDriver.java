package dev.stint.db;

import io.vertx.core.Completable;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.net.NetClientOptions;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.spi.PgDriver;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.spi.ConnectionFactory;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Vert.x's Postgres driver, with every connection it makes held to {@link
 * DatabaseTimeouts#connect()} as a whole (TCP, TLS, authentication: Vert.x bounds only the TCP
 * connect, so a host that accepts and then says nothing would hold a pool's slot for ever) and
 * watched once made ({@link Link}: keepalive, and a way to drop it). One driver per pool or
 * listener: its {@link #links} are that client's connections.
 */
final class LinkedDriver extends PgDriver {
  private final DatabaseTimeouts timeouts;
  private final Set<Link> links = ConcurrentHashMap.newKeySet();

  LinkedDriver(DatabaseTimeouts timeouts) {
    this.timeouts = timeouts;
  }

  /** The connections made so far and still open. */
  Set<Link> links() {
    return links;
  }

  @Override
  public ConnectionFactory<PgConnectOptions> createConnectionFactory(
      Vertx vertx, NetClientOptions transportOptions) {
    ConnectionFactory<PgConnectOptions> inner =
        super.createConnectionFactory(vertx, transportOptions);
    return new ConnectionFactory<>() {
      @Override
      public Future<SqlConnection> connect(Context context, PgConnectOptions options) {
        return LinkedDriver.this.connect(inner, context, options);
      }

      @Override
      public void close(Completable<Void> completion) {
        inner.close(completion);
      }
    };
  }

  private Future<SqlConnection> connect(
      ConnectionFactory<PgConnectOptions> inner, Context context, PgConnectOptions options) {
    long millis = Deadline.millis(timeouts.connect());
    // On the context the pool asked on: the pool takes the connection over there.
    Future<SqlConnection> made =
        inner
            .connect(context, options)
            .map(
                conn -> {
                  Link.attach(conn, timeouts, links);
                  return conn;
                });
    return Deadline.of(
        (ContextInternal) context,
        millis,
        "with a new connection",
        made,
        () -> {},
        // Made too late: nobody waits for it.
        conn -> Link.of(conn).ifPresentOrElse(Link::cut, conn::close));
  }
}
