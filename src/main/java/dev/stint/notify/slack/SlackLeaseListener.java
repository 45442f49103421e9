package dev.stint.notify.slack;

import dev.stint.access.RequestListener.Change;
import dev.stint.outbox.DurableListener;
import io.vertx.core.Future;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * An enrolled agent's ask told in Slack, through the outbox (the lease service writes {@code
 * lease.requested} in the transaction that files the ask, so no ask goes untold across a restart):
 * posted by direct message to its holder (when they linked their Slack account), to the approvals
 * channel (when there is one), and where an approver must decide it (the profile's leases wait for
 * one) with {@code notify.slack.dm_approvers} by direct message to those whose vote would count,
 * each copy recorded ({@link SlackPostRecords}), so a retried delivery posts only where no copy is.
 * A decision ({@code lease.approved}, {@code lease.denied}) updates every copy in place, without
 * buttons. Its Approve and Deny are judged when clicked ({@link SlackLeaseClicks}).
 *
 * <p>Which lease a change is about is what the lease service recorded with it (the change's comment
 * is its id), and the lease is rendered as it is at delivery, so a repeated or late delivery writes
 * the same, current message; an ask decided before its delivery posts nothing. Deliveries share the
 * request's turn with its other messages.
 */
public final class SlackLeaseListener implements DurableListener<Change> {
  static final String ASKED = "lease.requested";
  static final Set<String> DECIDED = Set.of("lease.approved", "lease.denied");
  private static final Pattern ID = Pattern.compile("lse_[A-Za-z0-9]{1,60}");

  /**
   * What delivery needs besides Slack: the lease as it is now, its page, step-up profiles, the
   * holder's link, and whose vote would count on it.
   */
  public record Parts(
      SlackLeaseDecisions leases,
      Function<String, URI> links,
      Predicate<String> stepUp,
      SlackLinks holders,
      Optional<SlackApprovers> direct) {}

  private final SlackCopies copies;
  private final Optional<String> channel;
  private final Parts parts;

  public SlackLeaseListener(
      SlackApi slack, SlackPosts posts, Optional<String> channel, Parts parts, Clock clock) {
    this.copies = new SlackCopies(slack, posts, clock);
    this.channel = channel;
    this.parts = parts;
  }

  /** Stable: outbox rows name it. */
  @Override
  public String name() {
    return "notify.slack.lease";
  }

  @Override
  public boolean wants(Change change) {
    return (ASKED.equals(change.event()) || DECIDED.contains(change.event()))
        && leaseId(change).isPresent();
  }

  @Override
  public Optional<String> turn(Change change) {
    return Optional.of("slack:" + change.request().id());
  }

  @Override
  public Future<Void> deliver(Change change, Delivery delivery) {
    String id = leaseId(change).orElseThrow();
    return parts
        .leases()
        .find(id)
        .compose(
            found -> {
              if (found.isEmpty() || !found.get().requestId().equals(change.request().id())) {
                return Future.succeededFuture();
              }
              SlackLease l = found.get();
              SlackMessage.Rendered m =
                  SlackLeaseMessage.render(
                      l, parts.links().apply(l.id()), parts.stepUp().test(l.profile()));
              if (!ASKED.equals(change.event())) {
                return copies.update(l.id(), m);
              }
              if (!l.pending()) {
                return Future.succeededFuture();
              }
              return recipients(l).compose(users -> copies.post(l.id(), channel, users, m));
            });
  }

  /**
   * The holder's linked Slack user, then, where an approver must decide it, those whose vote would
   * count on it, each once.
   */
  private Future<List<String>> recipients(SlackLease l) {
    Future<List<String>> approvers =
        l.asked().approverRequired() && parts.direct().isPresent()
            ? parts.leases().voters(l.id()).compose(parts.direct().get()::reaching)
            : Future.succeededFuture(List.of());
    return parts
        .holders()
        .byPerson(l.holder().issuer(), l.holder().subject())
        .compose(
            own ->
                approvers.map(
                    more -> {
                      List<String> users = new ArrayList<>();
                      own.ifPresent(link -> users.add(link.userId()));
                      more.stream().filter(u -> !users.contains(u)).forEach(users::add);
                      return users;
                    }));
  }

  /** The lease a change is about: its comment, as the lease service records it, is its id. */
  static Optional<String> leaseId(Change change) {
    return change.comment().filter(c -> ID.matcher(c).matches());
  }
}
