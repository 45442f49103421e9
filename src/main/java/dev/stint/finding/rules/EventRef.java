package dev.stint.finding.rules;

import java.time.Instant;
import java.util.Objects;

/** A call a finding names: the log's id for it, its name and service, when it was made. */
public record EventRef(String eventId, String eventName, String eventSource, Instant time) {
  public EventRef {
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(eventName, "eventName");
    Objects.requireNonNull(eventSource, "eventSource");
    Objects.requireNonNull(time, "time");
  }
}
