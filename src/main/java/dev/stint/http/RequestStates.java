package dev.stint.http;

import dev.stint.access.AccessRequest.RequestState;
import dev.stint.error.StintException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The states a list of requests is filtered by ({@code ?state=}): those people see, the derived
 * ones included, and the stored states the query asks the database for.
 */
final class RequestStates {
  /** The states people filter by, including the derived ones, and what is stored for them. */
  private static final Set<String> VIEW_STATES =
      Set.of(
          "pending",
          "approved",
          "scheduled",
          "active",
          "expired",
          "denied",
          "cancelled",
          "timed_out",
          "revoked");

  private RequestStates() {}

  /** The view states in {@code param} (comma-separated); none when it is absent or blank. */
  static Set<String> asked(String param) {
    if (param == null || param.isBlank()) {
      return Set.of();
    }
    List<String> asked = Arrays.stream(param.split(",")).map(String::strip).toList();
    for (String s : asked) {
      if (!VIEW_STATES.contains(s)) {
        throw StintException.invalid("unknown state '" + s + "'; expected one of " + VIEW_STATES);
      }
    }
    return Set.copyOf(asked);
  }

  /** Derived states are stored as approved; the view filter narrows them afterwards. */
  static Set<RequestState> stored(Set<String> wanted) {
    EnumSet<RequestState> out = EnumSet.noneOf(RequestState.class);
    for (String s : wanted) {
      out.add(
          Set.of("scheduled", "active").contains(s)
              ? RequestState.APPROVED
              : s.equals("expired") ? RequestState.APPROVED : RequestState.of(s));
      if (s.equals("expired")) {
        out.add(RequestState.EXPIRED);
      }
    }
    return out;
  }
}
