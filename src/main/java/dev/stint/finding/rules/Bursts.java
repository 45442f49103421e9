package dev.stint.finding.rules;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Per lease or grant, its recent calls of each {@link BurstKind}: part of a History. */
public final class Bursts {
  private final Map<String, TreeMap<Instant, List<EventRef>>> calls = new HashMap<>();

  Bursts() {}

  /** A recent call of {@code kind} made with a credential of {@code scope}. */
  public void add(String scope, BurstKind kind, EventRef call) {
    calls
        .computeIfAbsent(scope + " " + kind.code(), k -> new TreeMap<>())
        .computeIfAbsent(call.time(), t -> new ArrayList<>(1))
        .add(call);
  }

  /**
   * The calls of {@code kind} by {@code scope}'s credentials made after {@code from}, up to {@code
   * to}, in the order they were made: read off the calls' times, never by going through them all.
   */
  public List<EventRef> between(String scope, BurstKind kind, Instant from, Instant to) {
    TreeMap<Instant, List<EventRef>> all = calls.get(scope + " " + kind.code());
    if (all == null || !from.isBefore(to)) {
      return List.of();
    }
    List<EventRef> out = new ArrayList<>();
    all.subMap(from, false, to, true).values().forEach(out::addAll);
    return out;
  }
}
