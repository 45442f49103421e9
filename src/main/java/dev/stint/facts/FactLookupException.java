package dev.stint.facts;

import java.time.Duration;
import java.util.Optional;

/**
 * A lookup that gave no answer. The message names the source and why (the status it answered, a
 * timeout, a malformed answer), never a credential: it is recorded with the decision's facts.
 */
public final class FactLookupException extends RuntimeException {
  private final transient Optional<Duration> retryAfter;

  FactLookupException(String message) {
    this(message, Optional.empty());
  }

  FactLookupException(String message, Optional<Duration> retryAfter) {
    super(message, null, false, false);
    this.retryAfter = retryAfter;
  }

  /** How long the source asked not to be called again; present only when it throttled the call. */
  public Optional<Duration> retryAfter() {
    return retryAfter;
  }
}
