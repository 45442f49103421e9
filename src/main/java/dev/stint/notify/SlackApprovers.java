package dev.stint.notify;

import dev.stint.access.AccessRequest;
import dev.stint.access.Approvers;
import dev.stint.access.RequestState;
import dev.stint.policy.PolicyStore;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * The Slack users a new request is sent to directly ({@code notify.slack.dm_approvers}): linked
 * people whose identity is recent enough for their click to count, signed in through the
 * policy's web issuer, whose vote would count on the request, most recently signed in first.
 * Sending is not deciding: a click is judged afresh when it comes.
 */
public final class SlackApprovers implements Function<AccessRequest, Future<List<String>>> {
  /** At most this many direct messages per request: a wide rule should not page a whole company. */
  static final int MAX_DIRECT = 20;
  /** How many recently verified links are considered. */
  private static final int CONSIDERED = 2_000;

  private final SlackLinks links;
  private final Approvers approvers;
  private final PolicyStore policies;
  private final Duration identityMaxAge;
  private final Clock clock;

  public SlackApprovers(SlackLinks links, Approvers approvers, PolicyStore policies,
      Duration identityMaxAge, Clock clock) {
    this.links = links;
    this.approvers = approvers;
    this.policies = policies;
    this.identityMaxAge = identityMaxAge;
    this.clock = clock;
  }

  @Override
  public Future<List<String>> apply(AccessRequest r) {
    if (r.state() != RequestState.PENDING) {
      return Future.succeededFuture(List.of());
    }
    return links.verifiedSince(clock.instant().minus(identityMaxAge), CONSIDERED)
        .map(found -> found.stream()
            .filter(l -> policies.current().web()
                .filter(w -> w.issuerName().equals(l.principal().getString("issuer")))
                .isPresent())
            .filter(l -> approvers.couldApprove(r, l.principal(), l.issuer(), l.subject()))
            .map(SlackLinks.Link::userId)
            .limit(MAX_DIRECT)
            .toList());
  }
}
