package dev.stint.notify.slack;

import dev.stint.access.AccessRequest;
import dev.stint.identity.Person;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What Slack is shown of one extension, read when a delivery or a click needs it: its id, its
 * request (whose grant carries the end as it is now), what was asked, and where it stands. notify
 * does not depend on the extension package; the server fills this from the extension store.
 */
public record SlackExtension(String id, AccessRequest request, Asked asked, Standing standing) {

  /** Who asked for how much more, why, and how many approvals it needs. */
  public record Asked(Person asker, Duration by, String reason, int approvalsRequired) {}

  /** Its state ({@code pending}, {@code approved}, ...), approvals so far, who decided last. */
  public record Standing(String state, long approvals, Optional<Person> decidedBy) {}

  public boolean pending() {
    return "pending".equals(standing.state());
  }

  /** The grant's end now; for a pending extension the end it asks for is this plus the ask. */
  public Optional<Instant> grantEndsAt() {
    return request.grant().map(g -> g.endsAt());
  }
}
