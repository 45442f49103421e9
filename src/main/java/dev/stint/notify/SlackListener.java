package dev.stint.notify;

import dev.stint.access.AccessRequest;
import dev.stint.access.DurableListener;
import dev.stint.access.RequestListener.Change;
import dev.stint.access.RequestState;
import io.vertx.core.Future;
import java.net.URI;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Keeps one Slack message per request in step with the request, through the outbox: the rows
 * are written with each decision, whatever channel made it (web, CLI, Slack), and retried.
 *
 * <p>Every delivery renders the request as it is now, not as the change left it: a repeated or
 * late delivery writes the same, current message. A new request that waits for approval posts
 * the message; every later change updates it, if it exists. Deliveries of one request take
 * turns across replicas, so a decision's update never races the post it must follow.
 *
 * <p>What remains: Slack's post is not idempotent. If a replica dies after Slack accepted a
 * post and before the message's {@code ts} is stored, the retried delivery posts a second
 * message; the first then stays as it was. stint cannot look for it without reading the
 * channel's history, a right it does not ask for.
 */
public final class SlackListener implements DurableListener {
  static final Set<String> UPDATES = Set.of("approval.recorded", "request.approved",
      "request.denied", "request.cancelled", "request.timed_out", "grant.revoked",
      "grant.expired", "request.escalated");
  static final String REMINDER = "request.reminder";

  private final SlackApi slack;
  private final SlackMessages messages;
  private final String channel;
  private final Function<String, URI> links;
  private final Predicate<String> stepUp;
  private final Function<AccessRequest, Optional<String>> escalatedTo;
  private final Clock clock;

  /** {@code stepUp}: whether a profile's approvals must be made on the web page. */
  public SlackListener(SlackApi slack, SlackMessages messages, String channel,
      Function<String, URI> links, Predicate<String> stepUp, Clock clock) {
    this(slack, messages, channel, links, stepUp, r -> Optional.empty(), clock);
  }

  /**
   * As above; {@code escalatedTo} answers, when asked at delivery, the rule that now may decide
   * a request that has escalated (empty for one that has not).
   */
  public SlackListener(SlackApi slack, SlackMessages messages, String channel,
      Function<String, URI> links, Predicate<String> stepUp,
      Function<AccessRequest, Optional<String>> escalatedTo, Clock clock) {
    this.slack = slack;
    this.messages = messages;
    this.channel = channel;
    this.links = links;
    this.stepUp = stepUp;
    this.escalatedTo = escalatedTo;
    this.clock = clock;
  }

  @Override
  public String name() {
    return "notify.slack.app";
  }

  /**
   * A request that waits for approvers (not an auto-approved or break-glass one), and after;
   * reminders are replies in the message's thread.
   */
  @Override
  public boolean wants(Change change) {
    return "request.created".equals(change.event())
        ? change.request().state() == RequestState.PENDING
        : UPDATES.contains(change.event()) || REMINDER.equals(change.event());
  }

  @Override
  public Optional<String> turn(Change change) {
    return Optional.of("slack:" + change.request().id());
  }

  @Override
  public Future<Void> deliver(Change change, Delivery delivery) {
    var r = change.request();
    if (REMINDER.equals(change.event())) {
      return remind(r);
    }
    SlackMessage.Rendered m = SlackMessage.render(r, links.apply(r.id()),
        stepUp.test(r.profile()), escalatedTo.apply(r));
    return messages.find(r.id()).compose(found -> {
      if (found.isPresent()) {
        return slack.update(found.get().channel(), found.get().ts(), m.text(), m.blocksJson());
      }
      if (!"request.created".equals(change.event())) {
        // Nothing was posted (yet): the post, when it comes, renders this change too.
        return Future.succeededFuture();
      }
      return slack.post(channel, m.text(), m.blocksJson()).compose(ts -> messages.posted(r.id(),
          new SlackMessages.Posted(channel, ts), clock.instant()));
    });
  }

  /**
   * A reply in the request's thread, only while it still waits: a request decided after the
   * reminder was queued, or never posted, gets none.
   */
  private Future<Void> remind(AccessRequest r) {
    if (r.state() != RequestState.PENDING) {
      return Future.succeededFuture();
    }
    return messages.find(r.id()).compose(found -> found.isEmpty() ? Future.succeededFuture()
        : slack.reply(found.get().channel(), found.get().ts(),
            SlackMessage.reminder(r, links.apply(r.id()))));
  }
}
