package dev.stint.finding.rules;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** Per person, the networks their credentials called from, each with when: part of a History. */
public final class Networks {
  private final Map<Origin.Holder, Map<String, Span>> seen = new HashMap<>();

  Networks() {}

  /** {@code person}'s credentials called from {@code network} over {@code span}. */
  public void add(Origin.Holder person, String network, Span span) {
    Span.merge(seen.computeIfAbsent(person, k -> new HashMap<>()), network, span);
  }

  /**
   * The networks {@code person}'s credentials called from at {@code cutoff} or later, each with
   * when: one last called from before is no longer known.
   */
  public Map<String, Span> since(Origin.Holder person, Instant cutoff) {
    Map<String, Span> out = new HashMap<>();
    seen.getOrDefault(person, Map.of())
        .forEach(
            (network, span) -> {
              if (!span.last().isBefore(cutoff)) {
                out.put(network, span);
              }
            });
    return out;
  }
}
