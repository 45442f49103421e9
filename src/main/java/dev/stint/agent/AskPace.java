package dev.stint.agent;

import dev.stint.error.ErrorCode;
import dev.stint.error.RetryLater;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * How often one agent may ask: at most {@code limit} asks in any {@code window}, per server (an
 * agent looping on a prompt cannot fill its person's approvals). Past it, the ask is answered
 * {@link RetryLater} with when the oldest ask in the window leaves it.
 */
final class AskPace {
  /** The default: a task needs few asks, a loop many. */
  static final int LIMIT = 10;

  static final Duration WINDOW = Duration.ofMinutes(10);

  private final int limit;
  private final Duration window;
  private final Clock clock;
  private final Map<String, Deque<Instant>> asks = new HashMap<>();

  AskPace(int limit, Duration window, Clock clock) {
    this.limit = limit;
    this.window = window;
    this.clock = clock;
  }

  /**
   * Counts an ask of {@code agentId} now, or refuses it.
   *
   * @throws RetryLater when the agent asked {@code limit} times within the window
   */
  synchronized void take(String agentId) {
    Instant now = clock.instant();
    Deque<Instant> recent = asks.computeIfAbsent(agentId, k -> new ArrayDeque<>());
    while (!recent.isEmpty() && !recent.peekFirst().plus(window).isAfter(now)) {
      recent.removeFirst();
    }
    if (recent.size() >= limit) {
      Duration wait = Duration.between(now, recent.peekFirst().plus(window));
      throw new RetryLater(
          ErrorCode.RATE_LIMITED,
          "agent asked "
              + limit
              + " times within "
              + window.toMinutes()
              + " minutes; ask again later",
          wait);
    }
    recent.addLast(now);
  }
}
