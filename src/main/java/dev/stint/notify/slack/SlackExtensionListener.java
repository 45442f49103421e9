package dev.stint.notify.slack;

import dev.stint.access.RequestListener.Change;
import dev.stint.outbox.DurableListener;
import io.vertx.core.Future;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Keeps an extension's Slack messages (in the approvers' channel, and with {@code
 * notify.slack.dm_approvers} in the direct messages of those whose vote would count on it) in step
 * with the extension, through the outbox like the request's ({@link SlackListener}): an ask that
 * waits for approvers posts it, with Approve / Deny buttons; every vote updates every copy, and
 * every decision (approved, denied, cancelled, expired) updates every copy in place, without
 * buttons.
 *
 * <p>Which extension a change is about is read from what was recorded with it (the change's comment
 * starts with the extension id), and the extension is rendered as it is at delivery, so a repeated
 * or late delivery writes the same, current message. Deliveries share the request's turn, so an
 * extension's update never races its post, nor the request message's own updates.
 *
 * <p>What remains: as for requests, Slack's post is not idempotent (a replica dying between Slack's
 * answer and the stored {@code ts} posts twice).
 */
public final class SlackExtensionListener implements DurableListener<Change> {
  static final String ASKED = "grant.extension_requested";
  static final Set<String> DECIDED =
      Set.of(
          "approval.recorded",
          "approval.withdrawn",
          "grant.extended",
          "grant.extension_denied",
          "grant.extension_cancelled",
          "grant.extension_expired");
  private static final Pattern ID = Pattern.compile("ext_[a-z0-9]{1,60}");

  /**
   * What delivery needs besides Slack: the extension as it is now, its page, step-up profiles, and
   * the Slack users to send a waiting extension to directly (none without {@code dm_approvers}).
   */
  public record Parts(
      Function<String, Future<Optional<SlackExtension>>> extensions,
      Function<String, URI> links,
      Predicate<String> stepUp,
      Function<SlackExtension, Future<List<String>>> approvers) {}

  private final SlackCopies copies;
  private final Optional<String> channel;
  private final Parts parts;

  /** {@code channel} may be absent when extensions go to approvers' direct messages only. */
  public SlackExtensionListener(
      SlackApi slack, SlackPosts posts, Optional<String> channel, Parts parts, Clock clock) {
    this.copies = new SlackCopies(slack, posts, clock);
    this.channel = channel;
    this.parts = parts;
  }

  @Override
  public String name() {
    return "notify.slack.extension";
  }

  @Override
  public boolean wants(Change change) {
    return (ASKED.equals(change.event()) || DECIDED.contains(change.event()))
        && extensionId(change).isPresent();
  }

  @Override
  public Optional<String> turn(Change change) {
    return Optional.of("slack:" + change.request().id());
  }

  @Override
  public Future<Void> deliver(Change change, Delivery delivery) {
    String id = extensionId(change).orElseThrow();
    return parts
        .extensions()
        .apply(id)
        .compose(
            found -> {
              // A request's vote is also approval.recorded, with the voter's comment: only an
              // extension of this very request is one this change can be about.
              if (found.isEmpty() || !found.get().request().id().equals(change.request().id())) {
                return Future.succeededFuture();
              }
              SlackExtension x = found.get();
              SlackMessage.Rendered m =
                  SlackExtensionMessage.render(
                      x,
                      parts.links().apply(x.request().id()),
                      parts.stepUp().test(x.request().profile()));
              return deliver(change, x, m);
            });
  }

  /**
   * An ask posts once to each conversation, and only while it waits (one approved at once is never
   * posted); anything else updates what was posted. A late ask delivered after its decision posts
   * nothing, since the extension no longer waits.
   */
  private Future<Void> deliver(Change change, SlackExtension x, SlackMessage.Rendered m) {
    if (!ASKED.equals(change.event())) {
      return copies.update(x.id(), m);
    }
    if (!x.pending()) {
      return Future.succeededFuture();
    }
    return parts.approvers().apply(x).compose(users -> copies.post(x.id(), channel, users, m));
  }

  /**
   * The extension a change is about: its comment, as the extension service records it, starts
   * "ext_…:".
   */
  static Optional<String> extensionId(Change change) {
    return change
        .comment()
        .map(c -> c.indexOf(':') < 0 ? "" : c.substring(0, c.indexOf(':')))
        .filter(id -> ID.matcher(id).matches());
  }
}
