package dev.stint.facts;

import io.vertx.core.Future;
import java.util.Optional;

/** Tickets as the tracker has them (Jira). */
public interface TicketTracker {
  /**
   * The ticket {@code key} (such as {@code OPS-123}); empty when the tracker says there is no such
   * ticket (or none this token may see). Fails (with a message that never holds the token) when the
   * lookup fails, is refused, is throttled or takes longer than its timeout.
   */
  Future<Optional<Ticket>> ticket(String key);
}
