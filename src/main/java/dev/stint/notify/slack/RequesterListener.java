package dev.stint.notify.slack;

import dev.stint.access.RequestListener;
import dev.stint.access.RequestListener.Change;
import dev.stint.outbox.DurableListener;
import io.vertx.core.Future;
import java.net.URI;
import java.util.function.Function;

/**
 * Tells requesters by Slack direct message (through the outbox, retried) when their request is
 * approved, denied, timed out or cancelled by someone else, when their grant is about to end, when
 * it is revoked, and when its IAM Identity Center assignment failed. Only requesters who linked
 * their Slack account get one; for everyone else nothing is sent in Slack (the webhooks carry these
 * events already).
 *
 * <p>The link is looked up at delivery, so a link made or removed after the change counts. Slack's
 * post is not idempotent: a delivery that dies after Slack accepted the message and before the
 * outbox recorded it is retried, and the requester gets the message twice.
 */
public final class RequesterListener implements DurableListener<RequestListener.Change> {
  private final SlackApi slack;
  private final SlackLinks links;
  private final Function<String, URI> pages;

  public RequesterListener(SlackApi slack, SlackLinks links, Function<String, URI> pages) {
    this.slack = slack;
    this.links = links;
    this.pages = pages;
  }

  @Override
  public String name() {
    return "notify.slack.requester";
  }

  @Override
  public boolean wants(Change change) {
    return RequesterNote.tells(change);
  }

  @Override
  public Future<Void> deliver(Change change, Delivery delivery) {
    String text = RequesterNote.text(change, pages.apply(change.request().id()));
    return toRequester(slack, links, change, text);
  }

  /**
   * {@code text} as a direct message to the requester of {@code change}'s request, when they linked
   * a Slack account; nothing otherwise.
   */
  static Future<Void> toRequester(SlackApi slack, SlackLinks links, Change change, String text) {
    var requester = change.request().requester();
    return links
        .byPerson(requester.issuer(), requester.subject())
        .compose(
            link ->
                link.map(l -> slack.direct(l.userId(), text)).orElseGet(Future::succeededFuture));
  }
}
