package dev.stint.policy;

import java.time.Duration;
import java.util.Locale;

/**
 * A profile's {@code access_review:} rule: every {@code every} a review of who may request the
 * profile opens, due {@code dueIn} after it opens; {@code reviewers} (a rule about a person, as
 * {@code admins} is) decide its items, never their own; an item left undecided when the review is
 * due becomes {@code whenOverdue}'s decision. A profile without the key is never reviewed.
 */
public record ReviewRule(
    Duration every, Condition reviewers, Duration dueIn, WhenOverdue whenOverdue) {
  /** The shortest period between reviews a profile may ask for. */
  public static final Duration MIN_EVERY = Duration.ofDays(1);

  /** What an item nobody decided becomes when its review is due. */
  public enum WhenOverdue {
    /** The person stays eligible. */
    KEEP,
    /** The person's eligibility is suspended, as a reviewer's removal would. */
    SUSPEND;

    public String code() {
      return name().toLowerCase(Locale.ROOT);
    }
  }
}
