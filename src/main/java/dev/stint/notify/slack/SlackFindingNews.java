package dev.stint.notify.slack;

import dev.stint.access.AccessRequest;
import dev.stint.access.Approvers;
import dev.stint.finding.Finding;
import dev.stint.finding.FindingNews;
import dev.stint.finding.rules.Origin;
import dev.stint.notify.FindingNotice;
import dev.stint.notify.PageLinks;
import dev.stint.outbox.DurableListener;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * A live finding told in Slack, as a request is: posted to the approvals channel (when there is
 * one), by direct message to its holder (when they linked their Slack account), and with {@code
 * notify.slack.dm_approvers} by direct message to each linked person who could revoke it other than
 * as its holder (the profile's approvers, the admins; {@link Approvers#couldRevoke}). Each copy is
 * recorded ({@link SlackPostRecords}), so a retried delivery posts only where no copy is: at least
 * once, once per finding and conversation but for a post that dies between Slack's answer and the
 * record. Its Revoke button is judged when clicked ({@link SlackFindingClicks}).
 */
public final class SlackFindingNews implements FindingNews {
  private final SlackCopies copies;
  private final Optional<String> channel;
  private final SlackLinks links;
  private final Optional<SlackApprovers> direct;
  private final Sources sources;

  /**
   * Where a notice's facts come from: the request read without a caller, the pages it links to, and
   * who could revoke it.
   */
  public record Sources(
      Function<String, Future<Optional<AccessRequest>>> requests,
      PageLinks pages,
      Approvers approvers) {}

  public SlackFindingNews(
      SlackApi slack,
      SlackPosts posts,
      Optional<String> channel,
      SlackLinks links,
      Optional<SlackApprovers> direct,
      Sources sources,
      Clock clock) {
    this.copies = new SlackCopies(slack, posts, clock);
    this.channel = channel;
    this.links = links;
    this.direct = direct;
    this.sources = sources;
  }

  /** Stable: outbox rows name it. The requests' messages are {@code notify.slack.app}. */
  @Override
  public String name() {
    return "notify.slack.app.finding";
  }

  @Override
  public Future<Void> tell(Finding finding, DurableListener.Delivery delivery) {
    return FindingNotice.of(finding, sources.requests(), sources.pages())
        .compose(
            n ->
                recipients(n)
                    .compose(
                        users ->
                            copies.post(
                                finding.id(), channel, users, SlackFindingMessage.render(n))));
  }

  /** The holder's linked Slack user, then those who could revoke it, each once. */
  private Future<List<String>> recipients(FindingNotice n) {
    Origin.Holder holder = n.finding().origin().holder();
    Future<List<String>> others =
        direct
            .flatMap(d -> n.request().map(r -> d.reaching(revokers(r))))
            .orElse(Future.succeededFuture(List.of()));
    return links
        .byPerson(holder.issuer(), holder.subject())
        .compose(
            own ->
                others.map(
                    more -> {
                      List<String> users = new ArrayList<>();
                      own.ifPresent(l -> users.add(l.userId()));
                      more.stream().filter(u -> !users.contains(u)).forEach(users::add);
                      return users;
                    }));
  }

  private SlackApprovers.Counts revokers(AccessRequest r) {
    return (stored, issuer, subject) -> sources.approvers().couldRevoke(r, stored, issuer, subject);
  }
}
