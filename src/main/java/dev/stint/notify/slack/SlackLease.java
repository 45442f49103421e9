package dev.stint.notify.slack;

import dev.stint.access.NewRequest;
import dev.stint.identity.Person;
import java.time.Instant;
import java.util.Optional;

/**
 * What Slack is shown of an enrolled agent's ask, a task lease, read when a delivery or a click
 * needs it: its id and request, its profile and holder, the task, which agent asked and whose it
 * is, what it is narrowed to (the parameters and the policy its credentials would carry), its
 * window, and where it stands. notify does not depend on the lease package; the server fills this
 * from it.
 */
public record SlackLease(
    String id,
    String requestId,
    String profile,
    Person holder,
    String task,
    Asked asked,
    NewRequest.Narrowed narrowed,
    Instant createdAt,
    Instant expiresAt,
    Standing standing) {

  /**
   * The agent's name, whose agent it is, and whether an approver's vote decides it (the profile had
   * its leases wait for an approver when it was asked) rather than its holder's.
   */
  public record Asked(String agentName, String owner, boolean approverRequired) {
    /** As people read it: "asked by agent coder (bob's)". */
    public String label() {
      return "asked by agent " + agentName + " (" + owner + "'s)";
    }
  }

  /**
   * Its state as callers are shown it ({@code pending}, {@code active}, {@code denied}, {@code
   * revoked}, {@code ended}, {@code expired}), and who decided it, if anyone has.
   */
  public record Standing(String state, Optional<Person> decidedBy) {}

  public boolean pending() {
    return "pending".equals(standing.state());
  }
}
