package dev.stint.access;

import java.net.URI;
import java.time.Duration;

/**
 * Server-wide knobs for requests: how long a pending request waits for a decision, how far
 * ahead a window may be scheduled, and the public URL notifications link to.
 */
public record AccessSettings(Duration reviewTimeout, Duration maxScheduleAhead, URI publicUrl) {
  public static final Duration DEFAULT_REVIEW_TIMEOUT = Duration.ofHours(24);
  public static final Duration DEFAULT_MAX_SCHEDULE_AHEAD = Duration.ofDays(30);

  /** Where people look at a request; notifications link here. */
  public URI link(String requestId) {
    String base = publicUrl.toString().replaceAll("/+$", "");
    return URI.create(base + "/ui/requests/" + requestId);
  }
}
