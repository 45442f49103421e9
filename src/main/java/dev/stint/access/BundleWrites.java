package dev.stint.access;

import dev.stint.outbox.Outbox;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The store's writes for a bundle: its requests inserted together, and one decision applied to all
 * of them under their row locks, in one transaction each.
 */
final class BundleWrites {
  private final RequestInsert inserts;
  private final Pool pool;
  private final Outbox<RequestListener.Change> outbox;

  BundleWrites(RequestInsert inserts, Pool pool, Outbox<RequestListener.Change> outbox) {
    this.inserts = inserts;
    this.pool = pool;
    this.outbox = outbox;
  }

  /**
   * Stores the requests of one bundle, by a requester whose email was verified or not, in one
   * transaction: {@code tie} writes what binds them ({@link BundleStore}), {@code beforeCommit} the
   * audit, and the changes go to the outbox.
   */
  Future<List<AccessRequest>> insertAll(
      List<AccessRequest> rs,
      boolean emailVerified,
      Function<SqlConnection, Future<?>> tie,
      Function<List<AccessRequest>, Future<?>> beforeCommit,
      List<RequestListener.Change> changes) {
    return pool.withTransaction(
        conn -> {
          Future<?> chain = Future.succeededFuture();
          for (AccessRequest r : rs) {
            chain = chain.compose(x -> inserts.write(conn, r, Optional.empty(), emailVerified));
          }
          return chain
              .compose(x -> tie.apply(conn))
              .compose(x -> beforeCommit.apply(rs))
              .compose(x -> outbox.enqueue(conn, changes))
              .map(x -> rs);
        });
  }
}
