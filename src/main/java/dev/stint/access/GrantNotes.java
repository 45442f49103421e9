package dev.stint.access;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Notes recorded on a grant's request without changing it: each is an audit event and an outbox
 * change, committed together, that the notifiers deliver like any change to the request.
 */
final class GrantNotes {
  private final AccessStore store;
  private final AccessAudit audit;
  private final Supplier<Instant> now;
  private final Consumer<List<RequestListener.Change>> committed;

  GrantNotes(
      AccessStore store,
      AccessAudit audit,
      Supplier<Instant> now,
      Consumer<List<RequestListener.Change>> committed) {
    this.store = store;
    this.audit = audit;
    this.now = now;
    this.committed = committed;
  }

  /**
   * Tells the holders of {@code grantIds} that a revocation widened on {@code role} cut their
   * sessions there: each grant's request records {@code grant.sessions_cut}, carrying the note as
   * the change's comment. Their grants stand.
   */
  Future<Void> sessionsCut(List<String> grantIds, String role) {
    Instant at = now.get();
    String note =
        "a revocation on role "
            + role
            + " could not fit IAM's limits one grant at a time, so stint sessions of the role"
            + " issued before "
            + at
            + " were denied, yours among them; fetch a fresh one with"
            + " 'stint credentials PROFILE --refresh' (tools keep a cached session until it expires)";
    Future<Void> chain = Future.succeededFuture();
    for (String grantId : grantIds) {
      chain = chain.compose(x -> note(grantId, note, at));
    }
    return chain;
  }

  private Future<Void> note(String grantId, String note, Instant at) {
    return store
        .grants()
        .noteOnGrant(grantId, r -> audit.sessionsCut(r, note), r -> List.of(change(r, note, at)))
        .map(
            found -> {
              found.ifPresent(r -> committed.accept(List.of(change(r, note, at))));
              return null;
            });
  }

  private static RequestListener.Change change(AccessRequest r, String note, Instant at) {
    return new RequestListener.Change("grant.sessions_cut", r, Act.SYSTEM, Optional.of(note), at);
  }
}
