package dev.stint.access;

import java.net.URI;
import java.time.Duration;

/**
 * Server-wide knobs for requests: how long a pending request waits for a decision, how far ahead a
 * window may be scheduled, the public URL notifications link to, and how long before a grant's end
 * its holder is reminded.
 */
public record AccessSettings(
    Duration reviewTimeout, Duration maxScheduleAhead, URI publicUrl, Duration expiryReminder) {
  public static final Duration DEFAULT_REVIEW_TIMEOUT = Duration.ofHours(24);
  public static final Duration DEFAULT_MAX_SCHEDULE_AHEAD = Duration.ofDays(30);
  public static final Duration DEFAULT_EXPIRY_REMINDER = Duration.ofMinutes(10);

  /** With the default expiry reminder. */
  public AccessSettings(Duration reviewTimeout, Duration maxScheduleAhead, URI publicUrl) {
    this(reviewTimeout, maxScheduleAhead, publicUrl, DEFAULT_EXPIRY_REMINDER);
  }

  /** Where people look at a request; notifications link here. */
  public URI link(String requestId) {
    return page("/ui/requests/" + requestId);
  }

  /** Where people look at a task lease; a finding on its calls links here. */
  public URI leaseLink(String leaseId) {
    return page("/ui/leases/" + leaseId);
  }

  /** Where reviewers look at an access review; its notifications link here. */
  public URI reviewLink(String reviewId) {
    return page("/ui/access-reviews/" + reviewId);
  }

  private URI page(String path) {
    return URI.create(publicUrl.toString().replaceAll("/+$", "") + path);
  }
}
