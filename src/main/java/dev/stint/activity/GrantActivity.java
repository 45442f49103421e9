package dev.stint.activity;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a request's credentials were used for, for whoever may see the request (the caller checks
 * that first): the summary, a page of the calls, newest first, and when the sources last looked.
 */
public final class GrantActivity {
  /** Calls per page. */
  public static final int PAGE = 100;

  private final ActivityStore store;

  public GrantActivity(Pool pool) {
    this.store = new ActivityStore(pool);
  }

  /** The store the rounds share. */
  ActivityStore store() {
    return store;
  }

  /** A source of calls and when it last looked up every credential of the request. */
  public record Source(String name, Optional<Instant> checkedAt) {}

  /** The answer of {@code GET /v1/requests/{id}/activity}. */
  public record View(
      ActivitySummary summary,
      List<ActivityEvent> events,
      List<Source> sources,
      Optional<String> nextCursor) {}

  /** {@code cursor}, when given, is a {@code next_cursor} this gave; anything else is refused. */
  public Future<View> of(String requestId, Optional<String> cursor) {
    Optional<ActivityCursor> after = cursor.map(ActivityCursor::decode);
    return store
        .summary(requestId)
        .compose(
            summary ->
                store
                    .events(requestId, after, PAGE + 1)
                    .compose(
                        events ->
                            store
                                .checkedAt(requestId)
                                .map(checked -> view(summary, events, checked))));
  }

  private static View view(
      ActivitySummary summary, List<ActivityEvent> events, Optional<Instant> checked) {
    boolean more = events.size() > PAGE;
    List<ActivityEvent> page = more ? events.subList(0, PAGE) : events;
    Optional<String> next =
        more
            ? Optional.of(
                new ActivityCursor(page.get(PAGE - 1).time(), page.get(PAGE - 1).eventId())
                    .encode())
            : Optional.empty();
    return new View(
        summary, List.copyOf(page), List.of(new Source("cloudtrail_lookup", checked)), next);
  }
}
