package dev.stint.notify.slack;

import dev.stint.access.AccessRequest;
import dev.stint.access.AccessRequest.RequestState;
import dev.stint.access.AccessRequest.StageProgress;
import dev.stint.access.Bundles;
import dev.stint.access.RequestListener;
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

/**
 * Keeps a request's Slack messages (in the channel, and with {@code notify.slack.dm_approvers} in
 * each approver's direct messages) in step with the request, through the outbox: the rows are
 * written with each decision, whatever channel made it (web, CLI, Slack), and retried.
 *
 * <p>A grant whose IAM Identity Center assignment failed ({@code assignment.failed}) is told to the
 * approvers in the request's threads, or in the channel when it was never posted.
 *
 * <p>Every delivery renders the request as it is now, not as the change left it: a repeated or late
 * delivery writes the same, current message. A new request that waits for approval posts the
 * message; every later change updates it, if it exists. Deliveries of one request take turns across
 * replicas, so a decision's update never races the post it must follow.
 *
 * <p>What remains: Slack's post is not idempotent. If a replica dies after Slack accepted a post
 * and before the message's {@code ts} is stored, the retried delivery posts a second message; the
 * first then stays as it was. stint cannot look for it without reading the channel's history, a
 * right it does not ask for.
 */
public final class SlackListener implements DurableListener<RequestListener.Change> {
  static final Set<String> UPDATES =
      Set.of(
          "approval.recorded",
          "approval.withdrawn",
          "request.approved",
          "request.denied",
          "request.cancelled",
          "request.timed_out",
          "grant.revoked",
          "grant.expired",
          "grant.extended",
          "request.escalated");
  static final String REMINDER = "request.reminder";

  private final SlackCopies copies;
  private final Optional<String> channel;
  private final Function<String, URI> links;
  private final Predicate<String> stepUp;
  private final Function<AccessRequest, Optional<String>> escalatedTo;
  private final Function<AccessRequest, Future<List<String>>> approvers;
  private Function<String, Future<Optional<Bundles.Ref>>> bundles =
      id -> Future.succeededFuture(Optional.empty());

  /** {@code stepUp}: whether a profile's approvals must be made on the web page. */
  public SlackListener(
      SlackApi slack,
      SlackPosts messages,
      String channel,
      Function<String, URI> links,
      Predicate<String> stepUp,
      Clock clock) {
    this(slack, messages, Optional.of(channel), links, stepUp, Deciders.NONE, clock);
  }

  /**
   * Who may decide a request, as its messages say, each asked at delivery: {@code escalatedTo} the
   * rule that now may decide a request that has escalated (empty for one that has not), {@code
   * approvers} the Slack users to send a new request to directly.
   */
  public record Deciders(
      Function<AccessRequest, Optional<String>> escalatedTo,
      Function<AccessRequest, Future<List<String>>> approvers) {
    /** No escalation named, and nobody sent a request directly. */
    public static final Deciders NONE =
        new Deciders(r -> Optional.empty(), r -> Future.succeededFuture(List.of()));
  }

  /** As above, where {@code channel} may be absent and the messages name the {@code deciders}. */
  public SlackListener(
      SlackApi slack,
      SlackPosts messages,
      Optional<String> channel,
      Function<String, URI> links,
      Predicate<String> stepUp,
      Deciders deciders,
      Clock clock) {
    this.copies = new SlackCopies(slack, messages, clock);
    this.channel = channel;
    this.links = links;
    this.stepUp = stepUp;
    this.escalatedTo = deciders.escalatedTo();
    this.approvers = deciders.approvers();
  }

  /**
   * Shows a bundle as one message: that of its first request, naming every profile; the others'
   * changes are the same decisions, so they post nothing of their own.
   */
  public SlackListener bundledBy(Function<String, Future<Optional<Bundles.Ref>>> lookup) {
    this.bundles = lookup;
    return this;
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
        : UPDATES.contains(change.event())
            || REMINDER.equals(change.event())
            || AssignmentFailedNote.is(change);
  }

  @Override
  public Optional<String> turn(Change change) {
    return Optional.of("slack:" + change.request().id());
  }

  @Override
  public Future<Void> deliver(Change change, Delivery delivery) {
    var r = change.request();
    return bundles
        .apply(r.id())
        .compose(
            bundle -> {
              if (AssignmentFailedNote.is(change)) {
                return assignmentFailed(change, bundle.map(Bundles.Ref::first).orElse(r.id()));
              }
              if (bundle.isPresent() && !bundle.get().first().equals(r.id())) {
                return Future.succeededFuture();
              }
              return REMINDER.equals(change.event()) ? remind(r) : deliver(change, r, bundle);
            });
  }

  private Future<Void> deliver(Change change, AccessRequest r, Optional<Bundles.Ref> bundle) {
    boolean stepped =
        bundle.map(b -> b.profiles().stream().anyMatch(stepUp)).orElse(stepUp.test(r.profile()));
    SlackMessage.Rendered m =
        SlackMessage.render(r, links.apply(r.id()), stepped, escalatedTo.apply(r), bundle);
    if (!"request.created".equals(change.event())) {
      Future<Void> updated = copies.update(r.id(), m);
      return stageOpened(change)
          ? updated.compose(
              x -> approvers.apply(r).compose(users -> copies.post(r.id(), channel, users, m)))
          : updated;
    }
    return approvers.apply(r).compose(users -> copies.post(r.id(), channel, users, m));
  }

  /**
   * The vote of this change approved a stage and the next one opened: its approvers get the message
   * directly now (those who have it already are not sent it again).
   */
  private static boolean stageOpened(Change change) {
    AccessRequest r = change.request();
    if (!"approval.recorded".equals(change.event()) || r.votes().isEmpty()) {
      return false;
    }
    Optional<String> open = StageProgress.open(r).map(StageProgress::name);
    Optional<String> votedIn = r.votes().get(r.votes().size() - 1).stage();
    return open.isPresent() && votedIn.isPresent() && !open.equals(votedIn);
  }

  /**
   * A failed assignment, told where the approvers saw the request (its bundle's message for a
   * bundled one): a reply in each copy's thread, the channel's and those sent to approvers
   * directly; a request never posted (approved at once, break-glass) gets a message of its own in
   * the channel.
   */
  private Future<Void> assignmentFailed(Change change, String messageId) {
    String text = AssignmentFailedNote.toApprovers(change, links.apply(change.request().id()));
    return copies.replyOrPost(messageId, channel, text);
  }

  /**
   * A reply in the request's threads, only while it still waits: a request decided after the
   * reminder was queued, or never posted, gets none.
   */
  private Future<Void> remind(AccessRequest r) {
    if (r.state() != RequestState.PENDING) {
      return Future.succeededFuture();
    }
    return copies.reply(r.id(), SlackMessage.reminder(r, links.apply(r.id())));
  }
}
