package dev.stint.finding.rules;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the calls before a call showed, as the rules compare it: per profile, the services and
 * regions its grants used (first and last seen) and its calls per hour; per person, the networks
 * their credentials called from; per lease or grant, its recent calls of each {@link BurstKind}.
 * The store fills it for one batch from the baselines it keeps; each call judged then joins it
 * ({@link #observe}), so the next call of the batch sees it. Times are the calls' own, never the
 * clock: calls arrive late and out of order.
 */
public final class History {
  /** How long a profile's (or a person's) calls must go back before novelty or volume is judged. */
  public static final Duration LEARNING = Duration.ofDays(7);

  /** How long a service or region unused counts as never used. */
  public static final Duration NOVELTY = Duration.ofDays(90);

  /** The hours a profile's usual rate is read from. */
  public static final Duration RATE_LOOK_BACK = Duration.ofDays(14);

  private final Map<String, Map<String, Span>> services = new HashMap<>();
  private final Map<String, Map<String, Span>> regions = new HashMap<>();
  private final Networks networks = new Networks();
  private final Map<String, TreeMap<Instant, Long>> hours = new HashMap<>();
  private final Bursts bursts = new Bursts();

  /** {@code profile}'s grants used {@code service} over {@code span}. */
  public void service(String profile, String service, Span span) {
    Span.merge(services.computeIfAbsent(profile, k -> new HashMap<>()), service, span);
  }

  public void region(String profile, String region, Span span) {
    Span.merge(regions.computeIfAbsent(profile, k -> new HashMap<>()), region, span);
  }

  /** {@code profile}'s grants made {@code calls} calls in the hour starting at {@code hour}. */
  public void hour(String profile, Instant hour, long calls) {
    hours.computeIfAbsent(profile, k -> new TreeMap<>()).merge(hour, calls, Long::sum);
  }

  /** A call judged: it joins what the calls after it are compared with. */
  public void observe(Judged j) {
    Observed c = j.call();
    Origin o = j.origin();
    service(o.profile(), c.service(), Span.at(c.time()));
    region(o.profile(), c.region(), Span.at(c.time()));
    c.network().ifPresent(n -> networks.add(o.holder(), n, Span.at(c.time())));
    hour(o.profile(), hourOf(c.time()), 1);
    for (BurstKind kind : BurstKind.values()) {
      if (kind.counts(c)) {
        bursts.add(o.scope(), kind, c.ref());
      }
    }
  }

  /** Per person, the networks their credentials called from. */
  public Networks networks() {
    return networks;
  }

  /** Per lease or grant, its recent calls of each kind. */
  public Bursts bursts() {
    return bursts;
  }

  /** When {@code profile}'s grants were first seen calling; empty before any call. */
  public Optional<Instant> profileSince(String profile) {
    return since(services.getOrDefault(profile, Map.of()));
  }

  /** The services {@code profile}'s grants used, each with when. */
  public Map<String, Span> services(String profile) {
    return Collections.unmodifiableMap(services.getOrDefault(profile, Map.of()));
  }

  public Map<String, Span> regions(String profile) {
    return Collections.unmodifiableMap(regions.getOrDefault(profile, Map.of()));
  }

  /** How many calls {@code profile}'s grants made in the hour starting at {@code hour}. */
  public long calls(String profile, Instant hour) {
    return hours.getOrDefault(profile, new TreeMap<>()).getOrDefault(hour, 0L);
  }

  /**
   * {@code profile}'s usual calls an hour before {@code hour}: the mean of its busy hours (those
   * with a call) within {@link #RATE_LOOK_BACK}; empty when it had none.
   */
  public Optional<Double> usualRate(String profile, Instant hour) {
    TreeMap<Instant, Long> all = hours.getOrDefault(profile, new TreeMap<>());
    Map<Instant, Long> before = all.subMap(hour.minus(RATE_LOOK_BACK), true, hour, false);
    return before.isEmpty()
        ? Optional.empty()
        : Optional.of(before.values().stream().mapToLong(Long::longValue).average().orElse(0));
  }

  /** The hour {@code t} falls in. */
  public static Instant hourOf(Instant t) {
    return t.truncatedTo(ChronoUnit.HOURS);
  }

  private static Optional<Instant> since(Map<String, Span> seen) {
    return seen.values().stream().map(Span::first).min(Instant::compareTo);
  }
}
