package dev.stint.review;

import dev.stint.access.Caller;
import dev.stint.error.StintException;
import dev.stint.policy.PolicyEvaluator;
import dev.stint.policy.PolicyInForce;
import dev.stint.policy.ReviewRights;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
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
  private final PolicyInForce policies;
  private final ReviewAudit audit;
  private final Clock clock;

  ReviewReading(ReviewParts parts) {
    this.pool = parts.pool();
    this.policies = parts.policies();
    this.audit = parts.audit();
    this.clock = parts.clock();
  }

  /** The latest reviews {@code caller} may read, by state and profile when given. */
  Future<List<ReviewSummary>> list(
      Caller caller, Optional<Review.State> state, Optional<String> profile) {
    // A reviewer's own profiles are asked for in the query: the latest of everyone's never crowd
    // theirs out.
    ReviewRights may = rights(caller);
    return ReviewStore.list(pool, state, profile, readable(may))
        .map(found -> found.stream().filter(r -> may.mayRead(r.profile()).allowed()).toList())
        .compose(
            visible ->
                visible.isEmpty()
                    ? Future.succeededFuture(List.<ReviewSummary>of())
                    : ReviewStore.progress(pool, visible.stream().map(Review::id).toList())
                        .map(progress -> summaries(visible, progress)));
  }

  private static List<ReviewSummary> summaries(
      List<Review> reviews, Map<String, ReviewProgress> progress) {
    return reviews.stream()
        .map(r -> new ReviewSummary(r, progress.getOrDefault(r.id(), ReviewProgress.NONE)))
        .toList();
  }

  /** Review {@code id} with its items, if {@code caller} may read it. */
  Future<Review> get(Caller caller, String id) {
    return ReviewStore.load(pool, id)
        .compose(
            found ->
                found.filter(r -> rights(caller).mayRead(r.profile()).allowed()).isPresent()
                    ? Future.succeededFuture(found.get())
                    : Future.<Review>failedFuture(
                        StintException.notFound("no access review " + id)))
        .recover(e -> audit.refused(caller, "read", Optional.empty(), Optional.of(id), e));
  }

  /** The profiles whose reviews {@code caller} may read; empty for all (admins, auditors). */
  private Optional<List<String>> readable(ReviewRights may) {
    if (may.mayReadAll().allowed()) {
      return Optional.empty();
    }
    return Optional.of(
        policies.current().profiles().keySet().stream()
            .filter(p -> may.mayRead(p).allowed())
            .toList());
  }

  /** What {@code caller} may do with reviews under the policy in force, now. */
  ReviewRights rights(Caller caller) {
    return new PolicyEvaluator(policies.current())
        .reviewRights(caller.principal(), clock.instant());
  }
}
