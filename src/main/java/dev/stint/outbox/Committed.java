package dev.stint.outbox;

import dev.stint.identity.Person;
import java.time.Instant;
import java.util.Optional;

/**
 * A committed change as the outbox keeps it: which event, on which request (and its profile, for
 * the audit of deliveries), by whom, with what comment, when. The change itself carries more; the
 * outbox stores these and gets the rest back through {@link OutboxWorker.Changes} at delivery.
 */
public interface Committed {
  String event();

  String requestId();

  String profile();

  Person actor();

  Optional<String> comment();

  Instant at();

  /** What an outbox row keeps of a change, read back for delivery. */
  record Recorded(
      String event, String requestId, Person actor, Optional<String> comment, Instant at) {}
}
