package dev.stint.review;

import dev.stint.access.EligibilityHolds;
import dev.stint.review.ReviewItem.Choice;
import dev.stint.review.ReviewItem.Evidence;
import dev.stint.review.ReviewItem.Suggestion;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What the evidence suggests a reviewer decide, and why: remove whom a review already suspended,
 * who never had a credential of the profile, whose last one is older than the review's period, and
 * whose grants in the period all ended without a call; keep anyone else. A reviewer may follow it
 * or not. The why is the reason alone: the decision is a field of its own, printed beside it. Pure.
 */
final class Suggestions {
  private Suggestions() {}

  static Suggestion of(
      Evidence e, Optional<EligibilityHolds.Hold> held, Instant periodStart, Instant now) {
    if (held.isPresent()) {
      return new Suggestion(
          Choice.REMOVE,
          "suspended by access review "
              + held.get().reviewId()
              + " since "
              + held.get().since()
              + "; keep restores their eligibility");
    }
    if (e.lastMinted().isEmpty()) {
      return new Suggestion(Choice.REMOVE, "never had a credential of this profile");
    }
    Instant last = e.lastMinted().get();
    if (last.isBefore(periodStart)) {
      return new Suggestion(
          Choice.REMOVE,
          "unused for "
              + Duration.between(last, now).toDays()
              + " days (last credential "
              + last
              + ")");
    }
    if (e.grants() > 0 && e.unusedGrants() == e.grants() && e.calls() == 0) {
      return new Suggestion(
          Choice.REMOVE, e.grants() + " grant(s) in the period, none made a call");
    }
    return new Suggestion(
        Choice.KEEP,
        "last credential "
            + last
            + "; "
            + e.calls()
            + " call(s) on "
            + e.grants()
            + " grant(s) in the period");
  }
}
