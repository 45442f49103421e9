package dev.stint.finding.rules;

import java.time.Duration;
import java.util.Collection;
import java.util.List;

/** How a finding's sentence names calls, windows and what they were compared with. */
final class Sentences {
  /** The most names a sentence lists before it says how many more. */
  private static final int LISTED = 5;

  private Sentences() {}

  /** {@code iam:CreateAccessKey (event 3b1f… at 2026-01-05T10:00:00Z)}. */
  static String call(Observed c) {
    return c.action() + " (event " + c.eventId() + " at " + c.time() + ")";
  }

  /** When the call failed: "; the cloud answered AccessDenied, so it was an attempt". */
  static String outcome(Observed c) {
    return c.errorCode()
        .map(e -> "; the cloud answered " + e + ", so it was an attempt")
        .orElse("");
  }

  /** {@code 10m}, {@code 1h}. */
  static String duration(Duration d) {
    return d.toMinutes() % 60 == 0 ? d.toHours() + "h" : d.toMinutes() + "m";
  }

  /** {@code 1 other network}, {@code 6 other networks}. */
  static String count(int n, String what) {
    return n + " " + what + (n == 1 ? "" : "s");
  }

  /** A few names, then how many more: "ec2, iam, s3 and 4 more". */
  static String some(Collection<String> names) {
    List<String> sorted = names.stream().sorted().toList();
    if (sorted.isEmpty()) {
      return "none";
    }
    if (sorted.size() <= LISTED) {
      return String.join(", ", sorted);
    }
    return String.join(", ", sorted.subList(0, LISTED))
        + " and "
        + (sorted.size() - LISTED)
        + " more";
  }
}
