package dev.stint.error;

import java.time.Duration;

/**
 * A refusal to proceed now, not a refusal: the same call succeeds after {@code retryAfter}. The
 * HTTP answer carries it as {@code Retry-After} (whole seconds, at least one).
 */
public final class RetryLater extends StintException {
  private final transient Duration retryAfter;

  public RetryLater(ErrorCode code, String detail, Duration retryAfter) {
    super(code, detail);
    this.retryAfter = retryAfter;
  }

  public Duration retryAfter() {
    return retryAfter;
  }

  /** The wait in whole seconds, rounded up, at least one. */
  public long seconds() {
    long s = retryAfter.toSeconds() + (retryAfter.toNanosPart() > 0 ? 1 : 0);
    return Math.max(1, s);
  }
}
