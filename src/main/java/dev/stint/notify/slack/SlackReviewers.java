package dev.stint.notify.slack;

import dev.stint.identity.Directory;
import dev.stint.people.PeopleSeen;
import dev.stint.people.StoredClaims;
import dev.stint.policy.Policy;
import dev.stint.policy.PolicyEvaluator;
import dev.stint.policy.PolicyInForce;
import dev.stint.policy.Profile;
import dev.stint.review.Review;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The Slack users a review's messages are sent to directly: people stint saw within {@link
 * PeopleSeen#SEEN_WITHIN}, whose claims as last verified (and the directory, which may have
 * deprovisioned them) make them reviewers of the review's profile under the policy in force, and
 * who linked a Slack account; most recently seen first, at most {@link #MAX_DIRECT}. A reviewer
 * stint never saw, or who never linked Slack, reads the channel. Sending is not deciding: a
 * decision is judged afresh when it is made.
 */
public final class SlackReviewers implements Function<Review, Future<List<String>>> {
  /** At most this many direct messages per review: a wide rule should not page a whole company. */
  static final int MAX_DIRECT = 20;

  /** How many of the most recently seen people are considered. */
  static final int CONSIDERED = 1_000;

  /** The stint parts a reviewer is found with. */
  public record Sources(PeopleSeen seen, PolicyInForce policies, Directory directory) {}

  private final Vertx vertx;
  private final Sources sources;
  private final SlackLinks links;
  private final Clock clock;

  public SlackReviewers(Vertx vertx, Sources sources, SlackLinks links, Clock clock) {
    this.vertx = vertx;
    this.sources = sources;
    this.links = links;
    this.clock = clock;
  }

  @Override
  public Future<List<String>> apply(Review r) {
    Instant now = clock.instant();
    Policy policy = sources.policies().current();
    Optional<Profile> profile = policy.profile(r.profile());
    if (profile.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    return sources
        .seen()
        .recent(now.minus(PeopleSeen.SEEN_WITHIN), CONSIDERED)
        // A rule evaluation per person: off the event loop, as Approvers judges its people.
        .compose(
            people ->
                vertx.executeBlocking(() -> judged(people, policy, profile.get(), now), false))
        .compose(this::linked);
  }

  private List<PeopleSeen.Seen> judged(
      List<PeopleSeen.Seen> people, Policy policy, Profile profile, Instant now) {
    PolicyEvaluator rules = new PolicyEvaluator(policy);
    return people.stream()
        .filter(
            s ->
                StoredClaims.principal(
                        s.principal(), s.issuer(), s.subject(), policy::issuer, sources.directory())
                    .filter(p -> rules.isReviewer(p, profile, now))
                    .isPresent())
        .toList();
  }

  /** The Slack users linked to {@code reviewers}, in their order, at most {@link #MAX_DIRECT}. */
  private Future<List<String>> linked(List<PeopleSeen.Seen> reviewers) {
    List<String> out = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (PeopleSeen.Seen s : reviewers) {
      chain =
          chain.compose(
              x ->
                  out.size() >= MAX_DIRECT
                      ? Future.<Void>succeededFuture()
                      : links
                          .byPerson(s.issuer(), s.subject())
                          .map(
                              l -> {
                                l.ifPresent(link -> out.add(link.userId()));
                                return null;
                              }));
    }
    return chain.map(x -> out);
  }
}
