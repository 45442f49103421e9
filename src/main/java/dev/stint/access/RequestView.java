package dev.stint.access;

import java.time.Instant;

/**
 * The state people see: the stored state, with an approved request shown as {@code scheduled}
 * before its window, {@code active} inside it and {@code expired} after it even before the sweeper
 * has recorded the expiry.
 */
public final class RequestView {
  private RequestView() {}

  public static String stateAt(AccessRequest r, Instant now) {
    if (r.state() != RequestState.APPROVED || r.grant().isEmpty()) {
      return r.state().code();
    }
    Grant g = r.grant().get();
    if (now.isBefore(g.startsAt())) {
      return "scheduled";
    }
    return now.isBefore(g.endsAt()) ? "active" : "expired";
  }
}
