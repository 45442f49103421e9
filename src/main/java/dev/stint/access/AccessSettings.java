package dev.stint.access;

import java.time.Duration;

/**
 * Server-wide knobs for requests: how long a pending request waits for a decision, how far ahead a
 * window may be scheduled, and how long before a grant's end its holder is reminded. The server
 * sets the first and the last (through {@code AccessUseCases.Settings}).
 */
record AccessSettings(Duration reviewTimeout, Duration maxScheduleAhead, Duration expiryReminder) {
  static final Duration DEFAULT_REVIEW_TIMEOUT = Duration.ofHours(24);
  static final Duration DEFAULT_MAX_SCHEDULE_AHEAD = Duration.ofDays(30);
  static final Duration DEFAULT_EXPIRY_REMINDER = Duration.ofMinutes(10);

  /** With the default expiry reminder. */
  AccessSettings(Duration reviewTimeout, Duration maxScheduleAhead) {
    this(reviewTimeout, maxScheduleAhead, DEFAULT_EXPIRY_REMINDER);
  }
}
