package dev.stint.activity;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A request's use, in all: its calls, how many failed, calls per service (CloudTrail's event
 * source, Azure's resource provider), the first and last, and {@code credentials}, how many of its
 * credentials are AWS sessions looked up in CloudTrail. No call seen is not "not used" unless every
 * call the credentials could make is seen ({@link Visibility#whole}).
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

  public boolean noCallSeen() {
    return calls == 0;
  }
}
