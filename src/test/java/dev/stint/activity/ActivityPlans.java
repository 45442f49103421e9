package dev.stint.activity;

import dev.stint.testing.PlannedQuery;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * The activity package's reads of other packages' large tables, and the turn every CloudTrail call
 * takes ({@link SharedCallSlots}), on the plan test's data.
 */
public final class ActivityPlans {
  private ActivityPlans() {}

  public static List<PlannedQuery> queries(Instant now) {
    OffsetDateTime at = now.atOffset(ZoneOffset.UTC);
    OffsetDateTime monthAgo = now.minus(Duration.ofDays(30)).atOffset(ZoneOffset.UTC);
    return List.of(
        PlannedQuery.of(
            "activity: grants never used",
            UnusedGrants.QUERY,
            monthAgo,
            at,
            UnusedGrants.LIMIT + 1),
        PlannedQuery.of(
            "activity: a turn to call CloudTrail",
            SharedCallSlots.RESERVE,
            "cloudtrail/eu-west-1",
            600L,
            SharedCallSlots.MAX_WAIT.toMillis()),
        PlannedQuery.of(
            "activity: credentials a grant handed out, as its usage counts them",
            ActivityStore.ISSUED,
            "req_plan_1"),
        PlannedQuery.of(
            "activity: a profile's allowed calls for its suggestion",
            ProfileCalls.CALLS,
            "prod",
            now.minus(Duration.ofDays(90)).atOffset(ZoneOffset.UTC).toLocalDate()),
        PlannedQuery.of(
            "activity: a profile's grants live in a window",
            ProfileCalls.GRANTS,
            "prod",
            now.minus(Duration.ofDays(90)).atOffset(ZoneOffset.UTC)));
  }
}
