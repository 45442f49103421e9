package dev.stint.bench;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/**
 * How much the growth bench loads: audit events, requests and people over the year before {@code
 * end}, and the cloud calls made with the credentials issued ({@code activity}). The seed makes a
 * load repeatable, so a cached database is the one the same spec would generate again.
 */
record ScaleSpec(long events, int requests, int people, long activity, Instant end, long seed) {
  static final long DEFAULT_EVENTS = 10_000_000;
  static final int DEFAULT_REQUESTS = 1_000_000;
  static final int DEFAULT_PEOPLE = 10_000;
  static final long DEFAULT_ACTIVITY = 10_000_000;
  static final Duration YEAR = Duration.ofDays(365);

  /** The issuer of every generated person; the bench moves a few people to its real IdP. */
  static final String ISSUER = "https://idp.scale.example";

  ScaleSpec {
    if (events < 1 || requests < 1 || people < 2 || activity < 0) {
      throw new IllegalArgumentException(
          "a load needs events, requests, at least two people and no negative activity");
    }
  }

  /**
   * BENCH_SCALE_EVENTS, BENCH_SCALE_REQUESTS, BENCH_SCALE_PEOPLE and BENCH_SCALE_ACTIVITY, else the
   * issues' sizes.
   */
  static ScaleSpec fromEnv(Map<String, String> env, Instant now) {
    return new ScaleSpec(
        Long.parseLong(env.getOrDefault("BENCH_SCALE_EVENTS", Long.toString(DEFAULT_EVENTS))),
        Integer.parseInt(
            env.getOrDefault("BENCH_SCALE_REQUESTS", Integer.toString(DEFAULT_REQUESTS))),
        Integer.parseInt(env.getOrDefault("BENCH_SCALE_PEOPLE", Integer.toString(DEFAULT_PEOPLE))),
        Long.parseLong(env.getOrDefault("BENCH_SCALE_ACTIVITY", Long.toString(DEFAULT_ACTIVITY))),
        now.truncatedTo(ChronoUnit.HOURS),
        26L);
  }

  Instant start() {
    return end.minus(YEAR);
  }

  /** The subject of person {@code i}; emails are the subject at example.com. */
  static String person(int i) {
    return String.format("person-%05d", i);
  }

  /** What distinguishes one load from another, for the cache key (not the end instant). */
  String sizes() {
    return events + "-" + requests + "-" + people + "-" + activity + "-" + seed;
  }
}
