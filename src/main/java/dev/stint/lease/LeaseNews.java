package dev.stint.lease;

import dev.stint.access.AccessRequest;
import dev.stint.access.Grants;
import dev.stint.access.RequestListener;
import dev.stint.error.StintException;
import dev.stint.identity.Person;
import dev.stint.outbox.Outbox;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What an enrolled agent's ask tells the outbox, in the transaction that files or decides it, so
 * that its chat messages ({@code notify}'s) are posted and kept in step through a restart: {@link
 * #REQUESTED} when it is filed, pending; {@link #APPROVED} or {@link #DENIED} when a person decides
 * it. Each change names the lease by its id, the change's comment, and carries its request, read
 * afresh. A lease nobody's agent asked tells nothing: no message waits on it.
 */
final class LeaseNews {
  static final String REQUESTED = "lease.requested";
  static final String APPROVED = "lease.approved";
  static final String DENIED = "lease.denied";

  private final Grants grants;
  private final Outbox<RequestListener.Change> outbox;
  private volatile Runnable afterCommit = () -> {};

  LeaseNews(Grants grants, Outbox<RequestListener.Change> outbox) {
    this.grants = grants;
    this.outbox = outbox;
  }

  /** Told after a change this wrote commits, so the outbox delivers it without waiting a poll. */
  void afterCommit(Runnable poke) {
    this.afterCommit = poke;
  }

  void committed() {
    afterCommit.run();
  }

  /**
   * The request an agent's ask on its grant is told with, read before the ask's transaction opens:
   * a read on another connection inside it would hold two of the pool's connections at once.
   */
  Future<Optional<AccessRequest>> requestOf(String requestId) {
    return grants
        .requestOfLease(requestId)
        .map(
            r -> {
              if (r.isEmpty()) {
                throw StintException.conflict("request " + requestId + " is gone");
              }
              return r;
            });
  }

  /** The agent's ask, filed pending: its messages are to be posted. */
  Future<Void> asked(SqlConnection conn, Optional<AccessRequest> request, Lease lease) {
    if (lease.askedBy().isEmpty() || lease.agent().isEmpty() || request.isEmpty()) {
      return Future.succeededFuture();
    }
    return tell(
        conn, REQUESTED, request.get(), lease.agent().get(), lease, lease.window().createdAt());
  }

  /** A person's vote on the agent's ask: its messages are to show the decision. */
  Future<Void> decided(
      SqlConnection conn, AccessRequest r, Lease lease, boolean approved, Person by, Instant at) {
    if (lease.askedBy().isEmpty()) {
      return Future.succeededFuture();
    }
    return tell(conn, approved ? APPROVED : DENIED, r, by, lease, at);
  }

  private Future<Void> tell(
      SqlConnection conn, String event, AccessRequest r, Person actor, Lease lease, Instant at) {
    return outbox.enqueue(
        conn, List.of(new RequestListener.Change(event, r, actor, Optional.of(lease.id()), at)));
  }
}
