package dev.stint.finding.rules;

import java.time.Instant;
import java.util.Map;

/** When something was first and last seen, as a {@link History} keeps it. */
public record Span(Instant first, Instant last) {
  Span with(Instant t) {
    return new Span(t.isBefore(first) ? t : first, t.isAfter(last) ? t : last);
  }

  static Span at(Instant t) {
    return new Span(t, t);
  }

  /**
   * Adds {@code span} to what {@code into} says of {@code key}: the earliest and latest of both.
   */
  static void merge(Map<String, Span> into, String key, Span span) {
    into.merge(key, span, (a, b) -> a.with(b.first()).with(b.last()));
  }
}
