package dev.stint.activity;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A request's use, in all: its calls, how many failed, calls per service (CloudTrail's event
 * source, Azure's resource provider), the first and last, and {@code credentials}, how many of its
 * credentials' calls are all seen (AWS sessions: CloudTrail records every call); unused when no
 * call was seen.
 */
public record ActivitySummary(
    long calls,
    long errors,
    Map<String, Long> services,
    Optional<Instant> firstAt,
    Optional<Instant> lastAt,
    long credentials) {
  public ActivitySummary {
    services = Map.copyOf(services);
  }

  public boolean unused() {
    return calls == 0;
  }
}
