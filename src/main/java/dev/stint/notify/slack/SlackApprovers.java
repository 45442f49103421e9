package dev.stint.notify.slack;

import dev.stint.access.AccessRequest;
import dev.stint.access.AccessRequest.RequestState;
import dev.stint.access.Approvers;
import dev.stint.policy.PolicyInForce;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * The Slack users a message waiting for approval is sent to directly ({@code
 * notify.slack.dm_approvers}): linked people whose identity is recent enough for their click to
 * count, signed in through the policy's web issuer, whose vote would count on what waits (a
 * request, a bundle, an extension), most recently signed in first. Sending is not deciding: a click
 * is judged afresh when it comes.
 */
public final class SlackApprovers {
  /** At most this many direct messages per message: a wide rule should not page a whole company. */
  static final int MAX_DIRECT = 20;

  /** How many recently verified links are considered. */
  private static final int CONSIDERED = 2_000;

  /**
   * Whether the person a link names, judged on the claims stored with it, could cast a vote that
   * counts. Each kind of subject has its own rule; none counts the subject's requester.
   */
  @FunctionalInterface
  public interface Counts {
    boolean couldApprove(JsonObject stored, String issuer, String subject);

    /** Nobody: what waits no longer does, or is not there. */
    Counts NOBODY = (stored, issuer, subject) -> false;
  }

  private final SlackLinks links;
  private final PolicyInForce policies;
  private final Duration identityMaxAge;
  private final Clock clock;

  public SlackApprovers(
      SlackLinks links, PolicyInForce policies, Duration identityMaxAge, Clock clock) {
    this.links = links;
    this.policies = policies;
    this.identityMaxAge = identityMaxAge;
    this.clock = clock;
  }

  /**
   * For a pending request: those whose vote would count on it and, for a bundle, on every one of
   * its requests ({@code decidedWith}: the requests one vote decides with a given one), since the
   * others would see its reason without being able to act on it.
   */
  public Function<AccessRequest, Future<List<String>>> ofRequests(
      Approvers approvers, Function<AccessRequest, Future<List<AccessRequest>>> decidedWith) {
    return r ->
        r.state() != RequestState.PENDING
            ? Future.succeededFuture(List.of())
            : decidedWith
                .apply(r)
                .compose(
                    all ->
                        reach(
                            (stored, issuer, subject) ->
                                all.stream()
                                    .allMatch(
                                        m -> approvers.couldApprove(m, stored, issuer, subject))));
  }

  /**
   * For a pending extension: those whose vote would count on it by the extension's own rule, which
   * {@code voters} answers by its id when asked. Not the request's rule: the extension has its own
   * asker and its own votes, and its request is no longer pending.
   */
  public Function<SlackExtension, Future<List<String>>> ofExtensions(
      Function<String, Future<Counts>> voters) {
    return x ->
        !x.pending()
            ? Future.succeededFuture(List.of())
            : voters.apply(x.id()).compose(this::reach);
  }

  /**
   * The linked users {@code counts} admits, within the limits above: for a message that waits for
   * no vote (a finding, told to those who could revoke what it names).
   */
  public Future<List<String>> reaching(Counts counts) {
    return reach(counts);
  }

  /** The linked users {@code counts} admits, within the limits above. */
  private Future<List<String>> reach(Counts counts) {
    return links
        .verifiedSince(clock.instant().minus(identityMaxAge), CONSIDERED)
        .map(
            found ->
                found.stream()
                    .filter(this::signedInOnTheWeb)
                    .filter(l -> counts.couldApprove(l.principal(), l.issuer(), l.subject()))
                    .map(SlackLinks.Link::userId)
                    .limit(MAX_DIRECT)
                    .toList());
  }

  /**
   * A click counts only from a link whose claims the policy's web issuer verified (the rule a web
   * session is held to), so no one else is sent the message.
   */
  private boolean signedInOnTheWeb(SlackLinks.Link l) {
    return policies
        .current()
        .web()
        .filter(w -> w.issuerName().equals(l.principal().getString("issuer")))
        .isPresent();
  }
}
