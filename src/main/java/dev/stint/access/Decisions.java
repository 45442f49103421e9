package dev.stint.access;

import dev.stint.ledger.RevocationReach;
import io.vertx.core.Future;
import java.util.Optional;

/**
 * Deciding on requests and revoking grants, for whoever acts for a person: the API ({@code http}),
 * the pages ({@code web}) and Slack's buttons ({@code notify}). Each decision is taken under the
 * request's row lock on one policy snapshot, and recorded whether it changes anything or not.
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

  /** A revoked grant's request, and what the revoke ends and cannot end for its cloud. */
  record Revoked(AccessRequest request, RevocationReach reach) {}
}
