package dev.stint.notify;

import dev.stint.access.RequestListener;
import java.net.URI;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns committed request changes into notifications for the events people act on: a new request
 * (approvers), a decision or revocation (the requester), break-glass (everyone), a grant about to
 * end and one that ended (the holder), a request that escalated (the wider set of approvers) or
 * still waits (a reminder to the approvers).
 */
public final class RequestNotifier implements RequestListener {
  private static final Logger log = LoggerFactory.getLogger(RequestNotifier.class);
  public static final Set<String> NOTIFIED =
      Set.of(
          "request.created",
          "request.approved",
          "request.denied",
          "grant.revoked",
          "break_glass.used",
          "grant.expiring",
          "grant.expired",
          "grant.extension_requested",
          "grant.extended",
          "grant.extension_denied",
          "request.escalated",
          "request.reminder",
          "grant.sessions_cut",
          "assignment.failed");

  private final Notifier notifier;
  private final Function<String, URI> links;

  public RequestNotifier(Notifier notifier, Function<String, URI> links) {
    this.notifier = notifier;
    this.links = links;
  }

  /** The notification of a change, with the link to its request's page. */
  static Notification notification(Change change, Function<String, URI> links) {
    return new Notification(
        change.event(),
        change.request(),
        change.actor(),
        change.comment(),
        change.at(),
        links.apply(change.request().id()));
  }

  @Override
  public void changed(Change change) {
    if (!NOTIFIED.contains(change.event())) {
      return;
    }
    try {
      notifier.send(notification(change, links));
    } catch (RuntimeException e) {
      // A notification problem must never turn a committed decision into an error.
      log.error("could not queue notification {} for {}", change.event(), change.request().id(), e);
    }
  }
}
