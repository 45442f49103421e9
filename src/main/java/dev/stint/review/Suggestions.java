package dev.stint.review;

import dev.stint.access.EligibilityHolds;
import dev.stint.activity.Visibility;
import dev.stint.review.ReviewItem.Choice;
import dev.stint.review.ReviewItem.Evidence;
import dev.stint.review.ReviewItem.Suggestion;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What the evidence suggests a reviewer decide, and why: remove whom a review already suspended,
 * who never had a credential of the profile, whose last one is older than the review's period, and
 * whose grants in the period all ended without a call where stint would have seen every call they
 * could make; keep anyone else. "No call seen" on a grant whose calls stint could not all see (data
 * events without the push, an Azure token's reads, a console link's session) is no evidence of
 * non-use, so it never suggests removal. A reviewer may follow it or not. The why is the reason
 * alone: the decision is a field of its own, printed beside it. Pure.
 */
final class Suggestions {
  private Suggestions() {}

  /**
   * {@code unseen}: what stint could not see of the calls of the person's grants that ended without
   * a call seen (whole when it saw them all).
   */
  static Suggestion of(
      Evidence e,
      Visibility unseen,
      Optional<EligibilityHolds.Hold> held,
      Instant periodStart,
      Instant now) {
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
    boolean noCallSeen = e.grants() > 0 && e.unusedGrants() == e.grants() && e.calls() == 0;
    if (noCallSeen && e.unseenOrAll() == 0 && unseen.whole()) {
      return new Suggestion(
          Choice.REMOVE, e.grants() + " grant(s) in the period, none made a call");
    }
    if (noCallSeen) {
      return new Suggestion(Choice.KEEP, blind(e, unseen));
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

  /** No call seen, on grants that could have made calls stint cannot see: no reason to remove. */
  private static String blind(Evidence e, Visibility unseen) {
    String why =
        unseen.whole() ? "not every call was visible" : String.join("; ", unseen.unseenWords());
    return "no call seen on "
        + e.grants()
        + " grant(s) in the period, but "
        + Math.max(1, e.unseenOrAll())
        + " could have made calls stint cannot see ("
        + why
        + "), so that is no evidence of non-use";
  }
}
