package dev.stint.access;

import java.util.Arrays;
import java.util.Locale;

/**
 * The states a request is stored in. {@code APPROVED} covers the scheduled, active and
 * not-yet-swept parts of a grant's life; {@link AccessRequest#shownStateAt} derives those for
 * display.
 */
public enum RequestState {
  PENDING,
  APPROVED,
  DENIED,
  CANCELLED,
  TIMED_OUT,
  REVOKED,
  EXPIRED;

  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static RequestState of(String code) {
    return Arrays.stream(values())
        .filter(s -> s.code().equals(code))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown request state " + code));
  }

  /** Nothing can happen to a request in a final state. */
  public boolean isFinal() {
    return this != PENDING && this != APPROVED;
  }
}
