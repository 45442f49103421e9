package dev.stint.access;

import dev.stint.identity.Person;
import java.util.Optional;
import java.util.Set;

/**
 * Which requests to list. Empty {@code states} means every state; {@code requester} narrows to one
 * person's requests; {@code needsReview} to break-glass grants nobody has reviewed yet; {@code
 * after} starts the page after the last request of the previous one.
 */
public record RequestFilter(
    Set<RequestState> states,
    Optional<Person> requester,
    Optional<String> profile,
    boolean needsReview,
    int limit,
    Optional<RequestCursor> after) {

  public static final int MAX_LIMIT = 500;

  public RequestFilter {
    states = Set.copyOf(states);
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT);
    }
  }

  /** The first page. */
  public RequestFilter(
      Set<RequestState> states,
      Optional<Person> requester,
      Optional<String> profile,
      boolean needsReview,
      int limit) {
    this(states, requester, profile, needsReview, limit, Optional.empty());
  }

  /** The same filter, for the page after {@code cursor}. */
  public RequestFilter after(RequestCursor cursor) {
    return new RequestFilter(states, requester, profile, needsReview, limit, Optional.of(cursor));
  }
}
