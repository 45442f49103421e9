package dev.stint.access;

import dev.stint.identity.Person;
import dev.stint.outbox.Committed;
import java.time.Instant;
import java.util.Optional;

/**
 * Hears about committed request changes (the notifier implements it). Called after the change and
 * its audit event are committed; must return at once and never throw into the caller.
 */
public interface RequestListener {
  void changed(Change change);

  /** One committed change: the audit event type, the request after it, who did it. */
  record Change(
      String event, AccessRequest request, Person actor, Optional<String> comment, Instant at)
      implements Committed {
    /** The change {@code changed} made, as {@code actor} made it at {@code at}. */
    public static Change of(
        Transition.Changed changed, Person actor, Optional<String> comment, Instant at) {
      return new Change(changed.eventType(), changed.request(), actor, comment, at);
    }

    @Override
    public String requestId() {
      return request.id();
    }

    @Override
    public String profile() {
      return request.profile();
    }
  }

  RequestListener NONE = change -> {};
}
