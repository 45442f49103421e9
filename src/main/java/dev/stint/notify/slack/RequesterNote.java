package dev.stint.notify.slack;

import dev.stint.access.Act;
import dev.stint.access.RequestListener.Change;
import dev.stint.identity.Person;
import java.net.URI;
import java.util.Set;

/**
 * What a requester is told by Slack direct message when something happens to their request: one
 * line of mrkdwn with the request (linked to its page), the profile, what happened and who did it.
 * Every supplied value passes through {@link SlackText#escape}, as in the channel message, so a
 * comment cannot mention, ping or link.
 */
final class RequesterNote {
  /** The events a requester hears about; a cancellation only when someone else cancelled. */
  static final Set<String> TOLD =
      Set.of(
          "request.approved",
          "request.denied",
          "request.timed_out",
          "request.cancelled",
          "grant.expiring",
          "grant.revoked",
          "grant.sessions_cut",
          AssignmentFailedNote.EVENT);

  private RequesterNote() {}

  /** Whether the requester hears about this change. */
  static boolean tells(Change change) {
    if (!TOLD.contains(change.event())) {
      return false;
    }
    // The requester cancelled it themselves: they know.
    return !"request.cancelled".equals(change.event())
        || !change.actor().is(change.request().requester());
  }

  /** The message, for a change {@link #tells} accepts. */
  static String text(Change change, URI link) {
    if (AssignmentFailedNote.is(change)) {
      return AssignmentFailedNote.toRequester(change, link);
    }
    var r = change.request();
    String request =
        "Your request "
            + SlackText.link(link, r.id())
            + " for *"
            + SlackBlocks.value(r.profile())
            + "*";
    String access =
        "Your access to *"
            + SlackBlocks.value(r.profile())
            + "* ("
            + SlackText.link(link, r.id())
            + ")";
    String ends = r.grant().map(g -> g.endsAt().toString()).orElse("its end");
    String line =
        switch (change.event()) {
          case "request.approved" ->
              request
                  + " was approved"
                  + by(change.actor())
                  + r.grant()
                      .map(g -> "; access from " + g.startsAt() + " until " + g.endsAt())
                      .orElse("")
                  + ".";
          case "request.denied" -> request + " was denied" + by(change.actor()) + ".";
          case "request.timed_out" -> request + " timed out: nobody decided in time.";
          case "request.cancelled" -> request + " was cancelled" + by(change.actor()) + ".";
          case "grant.expiring" -> access + " ends at " + ends + ".";
          case "grant.revoked" -> access + " was revoked" + by(change.actor()) + ".";
          case "grant.sessions_cut" ->
              "Your AWS sessions for *"
                  + SlackBlocks.value(r.profile())
                  + "* ("
                  + SlackText.link(link, r.id())
                  + ") were ended by another grant's revocation;"
                  + " your access stands, and a fresh session works (`stint credentials "
                  + SlackBlocks.value(r.profile())
                  + " --refresh`).";
          default -> throw new IllegalArgumentException("not told: " + change.event());
        };
    return change.comment().map(c -> line + " \"" + SlackBlocks.value(c) + "\"").orElse(line);
  }

  /** " by <who>", escaped; nothing for the system. */
  static String by(Person actor) {
    return actor.is(Act.SYSTEM) ? "" : " by " + SlackBlocks.value(actor.display());
  }
}
