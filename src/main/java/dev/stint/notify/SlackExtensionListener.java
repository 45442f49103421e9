package dev.stint.notify;

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
 * Keeps an extension's Slack message in the approvers' channel in step with the extension, through
 * the outbox like the request's ({@link SlackListener}): an ask that waits for approvers posts it,
 * with Approve / Deny buttons; every vote updates it, and every decision (approved, denied,
 * cancelled, expired) updates it in place, without buttons.
 *
 * <p>Which extension a change is about is read from what was recorded with it (the change's comment
 * starts with the extension id), and the extension is rendered as it is at delivery, so a repeated
 * or late delivery writes the same, current message. Deliveries share the request's turn, so an
 * extension's update never races its post, nor the request message's own updates.
 *
 * <p>What remains: as for requests, Slack's post is not idempotent (a replica dying between Slack's
 * answer and the stored {@code ts} posts twice); and the message goes to the channel only, not to
 * approvers' direct messages.
 */
public final class SlackExtensionListener implements DurableListener<Change> {
  static final String ASKED = "grant.extension_requested";
  static final Set<String> DECIDED =
      Set.of(
          "approval.recorded",
          "grant.extended",
          "grant.extension_denied",
          "grant.extension_cancelled",
          "grant.extension_expired");
  private static final Pattern ID = Pattern.compile("ext_[a-z0-9]{1,60}");

  /** What delivery needs besides Slack: the extension as it is now, its page, step-up profiles. */
  public record Parts(
      Function<String, Future<Optional<SlackExtension>>> extensions,
      Function<String, URI> links,
      Predicate<String> stepUp) {}

  private final SlackApi slack;
  private final SlackPosts posts;
  private final String channel;
  private final Parts parts;
  private final Clock clock;

  public SlackExtensionListener(
      SlackApi slack, SlackPosts posts, String channel, Parts parts, Clock clock) {
    this.slack = slack;
    this.posts = posts;
    this.channel = channel;
    this.parts = parts;
    this.clock = clock;
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
              return posts.all(id).compose(posted -> deliver(change, x, m, posted));
            });
  }

  /**
   * An ask posts once, and only while it waits (one approved at once is never posted); anything
   * else updates what was posted. A late ask delivered after its decision posts nothing, since the
   * extension no longer waits.
   */
  private Future<Void> deliver(
      Change change, SlackExtension x, SlackMessage.Rendered m, List<SlackMessages.Posted> posted) {
    if (ASKED.equals(change.event())) {
      if (!x.pending() || posted.stream().anyMatch(p -> p.channel().equals(channel))) {
        return Future.succeededFuture();
      }
      return slack
          .post(channel, m.text(), m.blocksJson())
          .compose(
              ts -> posts.posted(x.id(), new SlackMessages.Posted(channel, ts), clock.instant()));
    }
    Future<Void> chain = Future.succeededFuture();
    for (SlackMessages.Posted p : posted) {
      chain = chain.compose(v -> slack.update(p.channel(), p.ts(), m.text(), m.blocksJson()));
    }
    return chain;
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
