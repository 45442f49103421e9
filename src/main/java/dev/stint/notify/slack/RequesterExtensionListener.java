package dev.stint.notify.slack;

import dev.stint.access.RequestListener.Change;
import dev.stint.outbox.DurableListener;
import io.vertx.core.Future;
import java.net.URI;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Tells a requester by Slack direct message (through the outbox, retried) when an extension they
 * asked for is approved or denied, as {@link RequesterListener} tells them of their request. Only
 * requesters who linked their Slack account get one; the link is looked up at delivery.
 *
 * <p>An extension approved at once (the profile's {@code approval: auto}, or an auto-approve rule)
 * is not told: its asker is the actor, and sees the new end on the page they asked from. The end
 * told is the grant's as it is at delivery (the outbox reads the request again), as the extension's
 * channel message shows it; none is told once the grant is revoked, which is told on its own.
 *
 * <p>Slack's post is not idempotent: a delivery that dies after Slack accepted the message and
 * before the outbox recorded it is retried, and the requester gets the message twice.
 */
public final class RequesterExtensionListener implements DurableListener<Change> {
  static final Set<String> TOLD = Set.of("grant.extended", "grant.extension_denied");

  private final SlackApi slack;
  private final SlackLinks links;
  private final Function<String, URI> pages;

  public RequesterExtensionListener(SlackApi slack, SlackLinks links, Function<String, URI> pages) {
    this.slack = slack;
    this.links = links;
    this.pages = pages;
  }

  @Override
  public String name() {
    return "notify.slack.requester_extension";
  }

  @Override
  public boolean wants(Change change) {
    return TOLD.contains(change.event())
        && SlackExtensionListener.extensionId(change).isPresent()
        && !change.actor().is(change.request().requester());
  }

  @Override
  public Future<Void> deliver(Change change, Delivery delivery) {
    String text = text(change, pages.apply(change.request().id()));
    return RequesterListener.toRequester(slack, links, change, text);
  }

  /**
   * One line of mrkdwn: the request (linked to its page), the profile, how much more was asked, the
   * decision and who made it, and for an approval the grant's end. Supplied values are escaped.
   */
  static String text(Change change, URI link) {
    var r = change.request();
    String extension =
        "Your extension"
            + asked(change).map(by -> " (" + SlackBlocks.value(by) + ")").orElse("")
            + " of request "
            + SlackText.link(link, r.id())
            + " for *"
            + SlackBlocks.value(r.profile())
            + "* was ";
    return switch (change.event()) {
      case "grant.extended" ->
          extension
              + "approved"
              + RequesterNote.by(change.actor())
              + r.grant()
                  .filter(g -> g.revocation().isEmpty())
                  .map(g -> "; your access now ends at " + g.endsAt())
                  .orElse("")
              + ".";
      case "grant.extension_denied" ->
          extension + "denied" + RequesterNote.by(change.actor()) + ".";
      default -> throw new IllegalArgumentException("not told: " + change.event());
    };
  }

  /**
   * How much more was asked ({@code +30m}), from what the extension service recorded with the
   * change ({@code "ext_…: +30m (reason)"}); empty when it reads otherwise.
   */
  private static Optional<String> asked(Change change) {
    return change
        .comment()
        .map(c -> c.substring(c.indexOf(':') + 1).strip())
        .map(rest -> rest.split(" ", 2)[0])
        .filter(by -> by.startsWith("+") && by.length() > 1);
  }
}
