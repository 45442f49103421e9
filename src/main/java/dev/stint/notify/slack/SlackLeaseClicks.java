package dev.stint.notify.slack;

import dev.stint.access.Action;
import dev.stint.access.Caller;
import dev.stint.audit.AuditEvent;
import io.vertx.core.Future;
import java.net.URI;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A click on an agent's ask's Approve or Deny, once {@link SlackInteractions} has verified the call
 * and found the person ({@link SlackClicker}): decided by the lease service's own use case, for
 * that person, so its rules are the API's (the holder's vote counts on their agent's ask unless an
 * approver must decide it; the agent's never; nobody approves their own access), and a refusal is
 * the service's, recorded there as {@code lease.refused} and in the click's {@code
 * slack.interaction}. A step-up profile's ask is decided on its page only, after a fresh sign-in:
 * the click is refused with the link. Every copy of the message then shows the decision, from the
 * outbox ({@link SlackLeaseListener}).
 */
final class SlackLeaseClicks {
  private final SlackLeaseDecisions leases;
  private final Predicate<String> stepUp;
  private final Function<String, URI> pages;

  SlackLeaseClicks(
      SlackLeaseDecisions leases, Predicate<String> stepUp, Function<String, URI> pages) {
    this.leases = leases;
    this.stepUp = stepUp;
    this.pages = pages;
  }

  /** Decides lease {@code c.value()} for {@code caller}: empty, or why not. */
  Future<Optional<SlackRefusal>> decide(
      SlackClick c, Caller caller, Action action, AuditEvent.Builder event) {
    return leases
        .find(c.value())
        .compose(
            found -> {
              if (found.isEmpty()) {
                return refused("no lease " + c.value(), "stint refused: no lease " + c.value());
              }
              SlackLease l = found.get();
              event.requestId(l.requestId()).profile(l.profile());
              if (stepUp.test(l.profile())) {
                return refused(
                    "step-up profile '" + l.profile() + "': decided on the web page only",
                    "Task leases of "
                        + l.profile()
                        + " are decided on the web page, after a fresh sign-in: "
                        + pages.apply(l.id()));
              }
              return leases
                  .decide(caller, l.id(), action)
                  .map(done -> Optional.<SlackRefusal>empty());
            });
  }

  private static Future<Optional<SlackRefusal>> refused(String reason, String message) {
    return Future.succeededFuture(Optional.of(new SlackRefusal(reason, message)));
  }
}
