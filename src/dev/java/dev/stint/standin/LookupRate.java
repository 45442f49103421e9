package dev.stint.standin;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * CloudTrail's limit on lookups: {@link #PER_SECOND} a second, per account, per Region; a call
 * beyond it is {@code ThrottlingException}, a Bad Request whose code the SDK counts as throttling,
 * so it retries after a back-off. A refused call does not count against the limit.
 */
public final class LookupRate {
  public static final int PER_SECOND = 2;

  private static final Duration WINDOW = Duration.ofSeconds(1);

  /** The admitted calls of the last second, per account and region, oldest first. */
  private final Map<String, Deque<Instant>> admitted = new HashMap<>();

  /** Admits a call of {@code account} in {@code region} at {@code now}, or refuses it. */
  public synchronized Optional<Refusal> admit(String account, String region, Instant now) {
    Deque<Instant> calls =
        admitted.computeIfAbsent(account + "/" + region, k -> new ArrayDeque<>());
    while (!calls.isEmpty() && !calls.peekFirst().plus(WINDOW).isAfter(now)) {
      calls.removeFirst();
    }
    if (calls.size() >= PER_SECOND) {
      return Optional.of(Refusal.sender(400, "ThrottlingException", "Rate exceeded"));
    }
    calls.addLast(now);
    return Optional.empty();
  }
}
