package dev.stint.people;

import dev.stint.common.Timestamps;
import dev.stint.testing.PlannedQuery;
import java.time.Instant;
import java.util.List;

/** The people package's SQL, as it runs it, with parameters that name the plan test's people. */
public final class PeoplePlans {
  private PeoplePlans() {}

  public static List<PlannedQuery> queries(Instant now) {
    return List.of(
        PlannedQuery.of(
            "people seen: recent",
            PeopleSeen.RECENT,
            Timestamps.utc(now.minusSeconds(86_400 * 30)),
            200),
        PlannedQuery.of(
            "people seen: forget",
            PeopleSeen.FORGET,
            Timestamps.utc(now.minusSeconds(86_400 * 30))),
        PlannedQuery.of(
            "people seen: by email",
            PeopleSeen.WITH_EMAIL,
            "user-42@example.com",
            Timestamps.utc(now.minusSeconds(86_400 * 30))));
  }
}
