package dev.stint.access;

import dev.stint.outbox.Outbox;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import java.util.function.Function;

/**
 * For other packages' tests: request rows written as this package writes them, with no use case in
 * front (its store stays its own). A request inserted here is checked against the eligibility
 * {@code holds} as a filed one is.
 */
public final class StoredRequests {
  private final AccessStore store;

  public StoredRequests(Pool pool, SqlClient reads, EligibilityHolds holds) {
    this.store = new AccessStore(pool, reads, new Outbox<>(pool), holds);
  }

  /** Stores {@code r}; {@code beforeCommit} runs inside the insert's transaction. */
  public Future<AccessRequest> insert(
      AccessRequest r, Function<AccessRequest, Future<?>> beforeCommit) {
    return store.insert(r, beforeCommit);
  }

  /** {@code draft} as filed and approved at once, with a grant of id {@code grantId}. */
  public static AccessRequest approved(AccessRequest draft, String grantId) {
    return RequestMachine.created(draft, true, grantId);
  }
}
