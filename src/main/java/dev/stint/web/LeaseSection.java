package dev.stint.web;

import dev.stint.access.AccessRequest;
import dev.stint.access.Caller;
import dev.stint.lease.Lease;
import dev.stint.lease.LeaseViews;
import dev.stint.policy.PolicyInForce;
import dev.stint.policy.Profile;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * The part of a request page that lists the task leases made on its grant, each linking to its own
 * page ({@link LeasePages}): shown when the request has leases or its profile allows them. Never a
 * lease token: only the answer that creates a lease carries one.
 */
final class LeaseSection {
  private final LeaseViews reading;
  private final PolicyInForce policies;
  private final Clock clock;

  LeaseSection(LeaseViews reading, PolicyInForce policies, Clock clock) {
    this.reading = reading;
    this.policies = policies;
    this.clock = clock;
  }

  /** The section for {@code r}, which the caller has already been allowed to see. */
  Future<Html> of(Caller caller, AccessRequest r) {
    boolean allowed = policies.current().profile(r.profile()).flatMap(Profile::leases).isPresent();
    return reading
        .ofRequest(caller, r.id())
        .map(leases -> section(r, leases, allowed, clock.instant()));
  }

  static Html section(AccessRequest r, List<Lease> leases, boolean allowed, Instant now) {
    if (leases.isEmpty() && !allowed) {
      return Html.empty();
    }
    Html body =
        leases.isEmpty()
            ? Html.of(
                "<p class=\"muted\">No task leases. The grant's holder can hand an agent a"
                    + " narrower, shorter credential for one task: <code>stint lease create {}"
                    + " --task \"…\" --duration 30m</code>.</p>",
                r.id())
            : table(leases, now);
    return Html.of(
        "<section aria-labelledby=\"lse-h\"><h2 id=\"lse-h\">Task leases</h2>{}</section>", body);
  }

  private static Html table(List<Lease> leases, Instant now) {
    return Html.of(
        "<div class=\"scroll\"><table class=\"cards\"><thead><tr><th>Lease</th><th>Task</th>"
            + "<th>State</th><th>Expires</th><th>Minted by</th></tr></thead>"
            + "<tbody>{}</tbody></table></div>",
        Html.each(
            leases,
            l ->
                Html.of(
                    "<tr><td class=\"id\" data-label=\"Lease\"><a href=\"/ui/leases/{}\">{}</a></td>"
                        + "<td class=\"reason\" data-label=\"Task\">{}</td>"
                        + "<td data-label=\"State\">{}</td><td data-label=\"Expires\">{}</td>"
                        + "<td data-label=\"Minted by\">{}</td></tr>",
                    l.id(),
                    l.id(),
                    l.task(),
                    l.stateAt(now),
                    Show.time(l.window().expiresAt()),
                    mintedBy(l))));
  }

  /**
   * Who mints the lease's credentials: the enrolled agent that asked for it, as approvers read it
   * ("asked by agent coder (bob's)"); its agent's own identity; or whoever holds its token.
   */
  static String mintedBy(Lease l) {
    if (l.askedBy().isPresent()) {
      return l.askedBy().get().label();
    }
    return l.agent().map(a -> "agent " + Show.person(a)).orElse("lease token");
  }
}
