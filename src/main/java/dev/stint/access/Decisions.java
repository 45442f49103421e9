package dev.stint.access;

import dev.stint.ledger.RevocationReach;
import dev.stint.outbox.Outbox;
import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;

/**
 * Deciding on requests and revoking grants, for whoever acts for a person: the API ({@code http}),
 * the pages ({@code web}) and Slack's buttons ({@code notify}). Each decision is taken under the
 * request's row lock on one policy snapshot, and recorded whether it changes anything or not. An
 * admin also sees and retries the side effects the outbox has not delivered ({@code OutboxAdmin}).
 */
public interface Decisions {
  /**
   * Approve, deny, cancel, revoke or review one request (a bundled one's approve, deny or cancel is
   * the whole bundle's). A revoke waits for the caller's earlier revokes and is paced when it ends
   * the caller's own grant.
   */
  Future<AccessRequest> decide(Caller caller, String id, Action action, Optional<String> comment);

  /**
   * Revokes, as {@link #decide} does, and answers what the revoke reaches, read from the ledger
   * after the commit. If the read fails, the revoke stands and the answer says nothing is known to
   * be valid.
   */
  Future<Revoked> revoke(Caller caller, String id, Optional<String> comment);

  /**
   * The side effects of decisions not yet delivered (pending and dead rows of the outbox), at most
   * {@code limit}; for the policy's admins only, a refusal audited ({@code outbox.refused}).
   */
  Future<List<Outbox.Entry>> undelivered(Caller caller, int limit);

  /**
   * Puts undelivered row {@code id} back in the outbox's line, delivered now rather than at the
   * next look; for the policy's admins only, the retry and any refusal audited ({@code
   * outbox.retried}, {@code outbox.refused}).
   */
  Future<Outbox.Entry> retryDelivery(Caller caller, long id);

  /** A revoked grant's request, and what the revoke ends and cannot end for its cloud. */
  record Revoked(AccessRequest request, RevocationReach reach) {}
}
