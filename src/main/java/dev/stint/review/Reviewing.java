package dev.stint.review;

import dev.stint.access.Caller;
import dev.stint.identity.Person;
import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;

/**
 * Access reviews as people reach them, from the routes and the pages: opening one, reading them,
 * deciding their items, lifting a suspension. Each asks {@code policy.ReviewRights}; every refusal
 * is recorded as {@code review.refused} before it is answered.
 */
public interface Reviewing {
  /** Opens a review of {@code profile} now: admins only. */
  Future<Review> open(Caller caller, String profile);

  /** The latest reviews {@code caller} may read, by state and profile when given. */
  Future<List<ReviewSummary>> list(
      Caller caller, Optional<Review.State> state, Optional<String> profile);

  /** Review {@code id}, if {@code caller} may read it; else as one that does not exist. */
  Future<Review> get(Caller caller, String id);

  /** {@code caller}'s decisions on review {@code id}, all or none. */
  Future<Review> decide(Caller caller, String id, List<ReviewerChoice> asked);

  /** Lifts {@code person}'s suspension from {@code profile}: admins only, never their own. */
  Future<Restored> restore(Caller caller, String profile, Person person);
}
