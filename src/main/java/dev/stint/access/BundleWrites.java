package dev.stint.access;

import dev.stint.access.Transition.Changed;
import dev.stint.error.StintException;
import dev.stint.outbox.Outbox;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The store's writes for a bundle: its requests inserted together, and one decision applied to all
 * of them under their row locks, in one transaction each.
 */
final class BundleWrites {
  private final AccessStore store;
  private final Pool pool;
  private final Outbox<RequestListener.Change> outbox;

  BundleWrites(AccessStore store, Pool pool, Outbox<RequestListener.Change> outbox) {
    this.store = store;
    this.pool = pool;
    this.outbox = outbox;
  }

  /**
   * Stores the requests of one bundle in one transaction: {@code tie} writes what binds them
   * ({@link BundleStore}), {@code beforeCommit} the audit, and the changes go to the outbox.
   */
  Future<List<AccessRequest>> insertAll(
      List<AccessRequest> rs,
      Function<SqlConnection, Future<?>> tie,
      Function<List<AccessRequest>, Future<?>> beforeCommit,
      List<RequestListener.Change> changes) {
    return pool.withTransaction(
        conn -> {
          Future<?> chain = Future.succeededFuture();
          for (AccessRequest r : rs) {
            chain =
                chain
                    .compose(
                        x ->
                            conn.preparedQuery(AccessStore.INSERT_REQUEST)
                                .execute(RequestRows.insertRequest(r).addValue(null)))
                    .compose(x -> store.writeGrant(conn, r.grant(), r.updatedAt()));
          }
          return chain
              .compose(x -> tie.apply(conn))
              .compose(x -> beforeCommit.apply(rs))
              .compose(x -> outbox.enqueue(conn, changes))
              .map(x -> rs);
        });
  }

  /**
   * Applies one decision to several requests under their row locks, all or none: {@code decide}
   * sees them in the order of {@code ids} and answers an outcome for each; only when every one is
   * {@link Changed} are they written (and their effects queued), in the same transaction.
   */
  Future<List<Transition>> updateAll(
      List<String> ids,
      Function<List<AccessRequest>, Future<List<Transition>>> decide,
      Function<Changed, List<RequestListener.Change>> effects) {
    String lock =
        "SELECT "
            + RequestRows.REQUEST_COLUMNS
            + " FROM access_requests WHERE id = ANY($1)"
            + " ORDER BY id FOR UPDATE";
    return pool.withTransaction(
        conn ->
            conn.preparedQuery(lock)
                .execute(Tuple.of(ids.toArray(new String[0])))
                .compose(rows -> AccessStore.hydrate(conn, rows))
                .compose(
                    found -> {
                      if (found.size() != ids.size()) {
                        return Future.failedFuture(
                            StintException.notFound("no request " + ids.get(0)));
                      }
                      Map<String, AccessRequest> byId = new HashMap<>();
                      found.forEach(r -> byId.put(r.id(), r));
                      List<AccessRequest> current = ids.stream().map(byId::get).toList();
                      return decide
                          .apply(current)
                          .compose(
                              outcomes -> {
                                if (!outcomes.stream().allMatch(Changed.class::isInstance)) {
                                  return Future.succeededFuture(outcomes);
                                }
                                Future<Void> chain = Future.succeededFuture();
                                for (int i = 0; i < outcomes.size(); i++) {
                                  Changed changed = (Changed) outcomes.get(i);
                                  AccessRequest before = current.get(i);
                                  chain =
                                      chain
                                          .compose(x -> store.write(conn, before, changed))
                                          .compose(
                                              x -> outbox.enqueue(conn, effects.apply(changed)));
                                }
                                return chain.map(outcomes);
                              });
                    }));
  }
}
