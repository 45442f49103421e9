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
 * people whose identity is recent enough for their click to count, signed in through the policy's
 * web issuer, whose vote would count on the request, most recently signed in first. Sending is not
 * deciding: a click is judged afresh when it comes.
 */
public final class SlackApprovers implements Function<AccessRequest, Future<List<String>>> {
  /** At most this many direct messages per request: a wide rule should not page a whole company. */
  static final int MAX_DIRECT = 20;

  /** How many recently verified links are considered. */
  private static final int CONSIDERED = 2_000;

  private final SlackLinks links;
  private final Approvers approvers;
  private final Function<AccessRequest, Future<List<AccessRequest>>> decidedWith;
  private final PolicyStore policies;
  private final Duration identityMaxAge;
  private final Clock clock;

  /** {@code decidedWith}: the requests one vote decides with a given one (its bundle). */
  public SlackApprovers(
      SlackLinks links,
      Approvers approvers,
      Function<AccessRequest, Future<List<AccessRequest>>> decidedWith,
      PolicyStore policies,
      Duration identityMaxAge,
      Clock clock) {
    this.links = links;
    this.approvers = approvers;
    this.decidedWith = decidedWith;
    this.policies = policies;
    this.identityMaxAge = identityMaxAge;
    this.clock = clock;
  }

  @Override
  public Future<List<String>> apply(AccessRequest r) {
    if (r.state() != RequestState.PENDING) {
      return Future.succeededFuture(List.of());
    }
    // A bundle's message goes only to those whose vote counts on every one of its profiles:
    // the others would see its reason without being able to act on it.
    return decidedWith
        .apply(r)
        .compose(
            all ->
                links
                    .verifiedSince(clock.instant().minus(identityMaxAge), CONSIDERED)
                    .map(
                        found ->
                            found.stream()
                                .filter(
                                    l ->
                                        policies
                                            .current()
                                            .web()
                                            .filter(
                                                w ->
                                                    w.issuerName()
                                                        .equals(l.principal().getString("issuer")))
                                            .isPresent())
                                .filter(
                                    l ->
                                        all.stream()
                                            .allMatch(
                                                m ->
                                                    approvers.couldApprove(
                                                        m, l.principal(), l.issuer(), l.subject())))
                                .map(SlackLinks.Link::userId)
                                .limit(MAX_DIRECT)
                                .toList()));
  }
}
