package dev.stint.facts;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * How a source's lookups are made: each within {@code timeout} (connecting, every page and the
 * answer), an answer reused for {@code cacheFor}, time read from {@code clock}.
 */
public record LookupSettings(Duration timeout, Duration cacheFor, Clock clock) {
  /** How long an answer is reused unless a source is given another lifetime. */
  public static final Duration DEFAULT_CACHE_FOR = Duration.ofSeconds(30);

  public LookupSettings {
    Objects.requireNonNull(clock, "clock");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("the timeout must be greater than zero");
    }
    if (cacheFor.isNegative()) {
      throw new IllegalArgumentException("the cache lifetime must not be negative");
    }
  }

  /** {@code timeout}, answers reused for {@link #DEFAULT_CACHE_FOR}. */
  public static LookupSettings of(Duration timeout, Clock clock) {
    return new LookupSettings(timeout, DEFAULT_CACHE_FOR, clock);
  }

  /**
   * {@code timeout}, answers reused for {@link #DEFAULT_CACHE_FOR} or one {@code recheck},
   * whichever is shorter: each recheck of a decision that waits on a fact then asks the source
   * again, so a closed ticket ends a grant within one recheck and the next, not a cache lifetime
   * later.
   */
  public static LookupSettings rechecked(Duration timeout, Duration recheck, Clock clock) {
    Duration cacheFor = recheck.compareTo(DEFAULT_CACHE_FOR) < 0 ? recheck : DEFAULT_CACHE_FOR;
    return new LookupSettings(timeout, cacheFor, clock);
  }
}
