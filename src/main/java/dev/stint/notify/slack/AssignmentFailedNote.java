package dev.stint.notify.slack;

import dev.stint.access.RequestListener.Change;
import java.net.URI;

/**
 * What Slack says when a grant's IAM Identity Center assignment failed ({@code assignment.failed},
 * its comment saying why, as {@code assignment} recorded it): nothing was assigned, so the grant
 * cannot be used until the directory's admins give the person a user and a new request is approved.
 * The requester hears it directly; the approvers where they saw the request. Every supplied value
 * passes through {@link SlackBlocks#value}, so neither a reason nor a name can mention, ping or
 * link.
 */
final class AssignmentFailedNote {
  static final String EVENT = "assignment.failed";

  private AssignmentFailedNote() {}

  static boolean is(Change change) {
    return EVENT.equals(change.event());
  }

  /** To the requester, by direct message. */
  static String toRequester(Change change, URI link) {
    return ":warning: Your access to *"
        + SlackBlocks.value(change.request().profile())
        + "* ("
        + SlackText.link(link, change.request().id())
        + ") could not be set up in AWS IAM Identity Center: "
        + why(change)
        + ". Nothing was assigned, so this grant cannot be used. Ask your IAM Identity Center"
        + " directory admins to add or fix your user, then file a new request.";
  }

  /** To the approvers, where the request's message went (or the channel). */
  static String toApprovers(Change change, URI link) {
    return ":warning: The AWS IAM Identity Center assignment of "
        + SlackBlocks.value(change.request().requester().display())
        + "'s access to *"
        + SlackBlocks.value(change.request().profile())
        + "* ("
        + SlackText.link(link, change.request().id())
        + ") failed: "
        + why(change)
        + ". Nothing was assigned, so the grant cannot be used: the IAM Identity Center directory"
        + " admins must add or fix the user, and the requester file a new request.";
  }

  private static String why(Change change) {
    return SlackBlocks.value(change.comment().orElse("no reason recorded"));
  }
}
