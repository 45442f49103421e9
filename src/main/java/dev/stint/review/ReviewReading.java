package dev.stint.review;

import dev.stint.access.Caller;
import dev.stint.error.StintException;
import dev.stint.policy.Policy;
import dev.stint.policy.PolicyEvaluator;
import dev.stint.policy.PolicyStore;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reading reviews: admins and auditors read every review, a profile's reviewers (under the policy
 * in force) read that profile's, nobody else any. A review one may not read is answered as one that
 * does not exist, and recorded ({@code review.refused}).
 */
final class ReviewReading {
  private final Pool pool;
  private final PolicyStore policies;
  private final ReviewAudit audit;
  private final Clock clock;

  ReviewReading(Reviews.Parts parts) {
    this.pool = parts.pool();
    this.policies = parts.policies();
    this.audit = parts.audit();
    this.clock = parts.clock();
  }

  /** The latest reviews {@code caller} may read, by state and profile when given. */
  Future<List<Reviews.Summary>> list(
      Caller caller, Optional<Review.State> state, Optional<String> profile) {
    // A reviewer's own profiles are asked for in the query: the latest of everyone's never crowd
    // theirs out.
    return ReviewStore.list(pool, state, profile, readable(caller))
        .map(found -> found.stream().filter(r -> mayRead(caller, r.profile())).toList())
        .compose(
            visible ->
                visible.isEmpty()
                    ? Future.succeededFuture(List.<Reviews.Summary>of())
                    : ReviewStore.progress(pool, visible.stream().map(Review::id).toList())
                        .map(progress -> summaries(visible, progress)));
  }

  private static List<Reviews.Summary> summaries(
      List<Review> reviews, Map<String, Reviews.Progress> progress) {
    return reviews.stream()
        .map(r -> new Reviews.Summary(r, progress.getOrDefault(r.id(), Reviews.Progress.NONE)))
        .toList();
  }

  /** Review {@code id} with its items, if {@code caller} may read it. */
  Future<Review> get(Caller caller, String id) {
    return ReviewStore.load(pool, id)
        .compose(
            found ->
                found.filter(r -> mayRead(caller, r.profile())).isPresent()
                    ? Future.succeededFuture(found.get())
                    : Future.<Review>failedFuture(
                        StintException.notFound("no access review " + id)))
        .recover(e -> audit.refused(caller, "read", Optional.empty(), Optional.of(id), e));
  }

  /** The profiles whose reviews {@code caller} may read; empty for all (admins, auditors). */
  private Optional<List<String>> readable(Caller caller) {
    Policy policy = policies.current();
    PolicyEvaluator rules = new PolicyEvaluator(policy);
    Instant now = clock.instant();
    if (rules.isAdmin(caller.principal(), now) || rules.isAuditor(caller.principal(), now)) {
      return Optional.empty();
    }
    return Optional.of(
        policy.profiles().values().stream()
            .filter(p -> rules.isReviewer(caller.principal(), p, now))
            .map(p -> p.name())
            .toList());
  }

  /** Whether {@code caller} may read the reviews of {@code profile}. */
  boolean mayRead(Caller caller, String profile) {
    Policy policy = policies.current();
    PolicyEvaluator rules = new PolicyEvaluator(policy);
    Instant now = clock.instant();
    return rules.isAdmin(caller.principal(), now)
        || rules.isAuditor(caller.principal(), now)
        || policy
            .profile(profile)
            .filter(p -> rules.isReviewer(caller.principal(), p, now))
            .isPresent();
  }

  /** Whether {@code caller} may open reviews: an admin. */
  boolean isAdmin(Caller caller) {
    return new PolicyEvaluator(policies.current()).isAdmin(caller.principal(), clock.instant());
  }
}
