package dev.stint.notify.slack;

import io.vertx.core.Future;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One subject's Slack message (a request's, an extension's) wherever it goes: the channel and
 * approvers' direct messages, each posted once and recorded, every copy updated in place. Slack is
 * called one conversation at a time, in order, each tried whatever the others did.
 */
final class SlackCopies {
  private static final Logger LOG = LoggerFactory.getLogger(SlackCopies.class);

  private final SlackApi slack;
  private final SlackPosts posts;
  private final Clock clock;

  SlackCopies(SlackApi slack, SlackPosts posts, Clock clock) {
    this.slack = slack;
    this.posts = posts;
    this.clock = clock;
  }

  /**
   * Posts the message where no copy of it is recorded: the channel, then each user's direct
   * message. A retry finds its earlier posts, since {@code conversations.open} answers the same
   * conversation each time.
   */
  Future<Void> post(
      String id, Optional<String> channel, List<String> users, SlackMessage.Rendered m) {
    return posts
        .all(id)
        .compose(
            posted -> {
              Set<String> done = new HashSet<>();
              posted.forEach(p -> done.add(p.channel()));
              return conversations(id, channel, users)
                  .compose(
                      where ->
                          each(
                              where.stream().filter(c -> !done.contains(c)).toList(),
                              c ->
                                  slack
                                      .post(c, m.text(), m.blocksJson())
                                      .compose(
                                          ts ->
                                              posts.posted(
                                                  id,
                                                  new SlackPosts.Posted(c, ts),
                                                  clock.instant()))));
            });
  }

  /** Updates every recorded copy in place; with none recorded yet, the posts will show this. */
  Future<Void> update(String id, SlackMessage.Rendered m) {
    return posts
        .all(id)
        .compose(
            posted ->
                each(posted, p -> slack.update(p.channel(), p.ts(), m.text(), m.blocksJson())));
  }

  /** A reply in every recorded copy's thread. */
  Future<Void> reply(String id, String text) {
    return posts
        .all(id)
        .compose(posted -> each(posted, p -> slack.reply(p.channel(), p.ts(), text)));
  }

  /**
   * A reply in every recorded copy's thread; with no copy recorded, {@code text} as a message of
   * its own in {@code channel} (when there is one), not recorded as a copy.
   */
  Future<Void> replyOrPost(String id, Optional<String> channel, String text) {
    return posts
        .all(id)
        .compose(
            posted ->
                !posted.isEmpty()
                    ? each(posted, p -> slack.reply(p.channel(), p.ts(), text))
                    : channel
                        .map(
                            c ->
                                slack
                                    .post(c, text, "[" + SlackBlocks.section(text) + "]")
                                    .<Void>mapEmpty())
                        .orElseGet(Future::succeededFuture));
  }

  /**
   * The channel, then the direct messages of the users stint can reach. A member Slack will not
   * open a conversation with (deactivated since they linked) is left out, not a failure.
   */
  private Future<List<String>> conversations(
      String id, Optional<String> channel, List<String> users) {
    List<String> out = new ArrayList<>();
    channel.ifPresent(out::add);
    Future<Void> chain = Future.succeededFuture();
    for (String user : users) {
      chain =
          chain.compose(
              x ->
                  slack
                      .open(user)
                      .map(
                          c -> {
                            out.add(c);
                            return (Void) null;
                          })
                      .recover(
                          e -> {
                            LOG.warn(
                                "no direct message to Slack user {} about {}: {}",
                                user,
                                id,
                                e.getMessage());
                            return Future.succeededFuture();
                          }));
    }
    return chain.map(x -> out);
  }

  /**
   * One Slack call at a time, in order, each tried whatever the others did: the first failure fails
   * the delivery afterwards, so it is retried for what did not go through.
   */
  private static <T> Future<Void> each(List<T> items, Function<T, Future<Void>> call) {
    Future<Void> chain = Future.succeededFuture();
    AtomicReference<Throwable> first = new AtomicReference<>();
    for (T item : items) {
      chain =
          chain.compose(
              x ->
                  call.apply(item)
                      .recover(
                          e -> {
                            first.compareAndSet(null, e);
                            return Future.succeededFuture();
                          }));
    }
    return chain.compose(
        x -> first.get() == null ? Future.succeededFuture() : Future.failedFuture(first.get()));
  }
}
