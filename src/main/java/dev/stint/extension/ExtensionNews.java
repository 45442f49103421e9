package dev.stint.extension;

import dev.stint.access.AccessRequest;
import dev.stint.access.RequestListener;
import dev.stint.common.Durations;
import dev.stint.error.StintException;
import dev.stint.identity.Person;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * Who hears of an extension's change once it has committed, and what the one who made it is
 * answered. The outbox rows were written with the change; the outbox worker is poked and in-process
 * listeners are told after the commit. Notifications carry the original request (its grant's end as
 * it is now) and what was asked.
 */
final class ExtensionNews {
  private final ExtensionStore store;
  private final Supplier<Instant> now;
  private final List<RequestListener> listeners = new CopyOnWriteArrayList<>();
  private volatile Runnable afterCommit = () -> {};

  ExtensionNews(ExtensionStore store, Supplier<Instant> now) {
    this.store = store;
    this.now = now;
  }

  void listen(RequestListener listener) {
    listeners.add(listener);
  }

  /** What to run once changes have committed: the outbox worker's poke, in the server. */
  void afterCommit(Runnable run) {
    afterCommit = run;
  }

  /** The refusal as the caller's error, or the change, told, as the extension and grant's end. */
  Future<Extended> answer(ExtensionMachine.Result result, String requestId, Person actor) {
    if (result instanceof ExtensionMachine.Refused r) {
      return Future.failedFuture(new StintException(r.code(), r.reason()));
    }
    ExtensionMachine.Changed c = (ExtensionMachine.Changed) result;
    tell(c, requestId, actor);
    return Future.succeededFuture(new Extended(c.extension(), c.newGrantEnd()));
  }

  /**
   * Pokes the outbox, then tells listeners of {@code c} with request {@code requestId} as it is.
   */
  void tell(ExtensionMachine.Changed c, String requestId, Person actor) {
    afterCommit.run();
    if (listeners.isEmpty()) {
      return;
    }
    Instant at = now.get();
    store
        .findRequest(requestId)
        .onSuccess(
            found ->
                found.ifPresent(
                    r ->
                        changes(c, r, actor, at)
                            .forEach(change -> listeners.forEach(l -> l.changed(change)))));
  }

  /** The changes an extension decision makes: an auto-approved ask is asked, then granted. */
  static List<RequestListener.Change> changes(
      ExtensionMachine.Changed c, AccessRequest r, Person actor, Instant at) {
    Extension e = c.extension();
    String what =
        e.id()
            + ": +"
            + Durations.format(e.duration())
            + (e.reason().isBlank() ? "" : " (" + e.reason() + ")");
    List<String> events =
        c.eventType().equals("grant.extended") && e.approvalsRequired() == 0
            ? List.of("grant.extension_requested", "grant.extended")
            : List.of(c.eventType());
    return events.stream()
        .map(event -> new RequestListener.Change(event, r, actor, Optional.of(what), at))
        .toList();
  }
}
