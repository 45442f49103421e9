package dev.stint.http;

import dev.stint.config.StintConfig;
import dev.stint.error.ErrorCode;
import dev.stint.error.StintException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The open audit event streams (API and web, every event loop): how many there may be in all and
 * per person, how often each re-checks its reader, and how often it beats. Each stream holds a
 * {@link Slot} while it runs, so a client cannot pin unbounded subscriptions.
 */
public final class EventStreams {
  /** Beats at most this far apart, so proxies in front of stint keep the stream open. */
  static final Duration MAX_HEARTBEAT = Duration.ofSeconds(15);

  /** The caps, the re-check interval and the idle timeout the heartbeat must beat. */
  public record Limits(int max, int perPerson, Duration recheck, Duration idleTimeout) {}

  private final Limits limits;
  private final Clock clock;
  private final Map<String, Integer> perPerson = new HashMap<>();
  private int open;

  public EventStreams(Limits limits, Clock clock) {
    this.limits = limits;
    this.clock = clock;
  }

  public static EventStreams of(StintConfig.HttpConfig http, Clock clock) {
    return new EventStreams(
        new Limits(
            http.maxEventStreams(),
            http.maxEventStreamsPerPerson(),
            http.streamRecheck(),
            http.idleTimeout()),
        clock);
  }

  /**
   * A comment line at least three times per idle timeout: one late beat must not let the server (or
   * a proxy with the same timeout) cut a live stream.
   */
  public Duration heartbeat() {
    Duration third = limits.idleTimeout().dividedBy(3);
    return third.compareTo(MAX_HEARTBEAT) < 0 ? third : MAX_HEARTBEAT;
  }

  public Duration recheck() {
    return limits.recheck();
  }

  public Clock clock() {
    return clock;
  }

  /** Takes a place for {@code person}'s new stream, or refuses (429 for them, 503 for all). */
  public synchronized Slot open(String person) {
    int theirs = perPerson.getOrDefault(person, 0);
    if (theirs >= limits.perPerson()) {
      throw new StintException(
          ErrorCode.RATE_LIMITED,
          "you already have "
              + theirs
              + " audit event streams open (http.max_event_streams_per_person); close one first");
    }
    if (open >= limits.max()) {
      throw new StintException(
          ErrorCode.UNAVAILABLE,
          "the server has "
              + open
              + " audit event streams open (http.max_event_streams); try again later");
    }
    open++;
    perPerson.put(person, theirs + 1);
    return new Slot(person);
  }

  private synchronized void release(String person) {
    open--;
    perPerson.computeIfPresent(person, (p, n) -> n <= 1 ? null : n - 1);
  }

  /** One stream's place; closing it (more than once is harmless) gives the place back. */
  public final class Slot implements AutoCloseable {
    private final String person;
    private boolean closed;

    private Slot(String person) {
      this.person = person;
    }

    @Override
    public void close() {
      synchronized (EventStreams.this) {
        if (closed) {
          return;
        }
        closed = true;
      }
      release(person);
    }
  }
}
