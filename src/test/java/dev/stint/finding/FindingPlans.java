package dev.stint.finding;

import dev.stint.testing.PlannedQuery;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * The findings' reads on the plan test's data: a request's, a lease's and everyone's since a time,
 * the batch's turn and claim, and each baseline a batch reads.
 */
public final class FindingPlans {
  private FindingPlans() {}

  public static List<PlannedQuery> queries(Instant now) {
    OffsetDateTime at = now.atOffset(ZoneOffset.UTC);
    OffsetDateTime week = now.minus(Duration.ofDays(7)).atOffset(ZoneOffset.UTC);
    OffsetDateTime novel = now.minus(Duration.ofDays(90)).atOffset(ZoneOffset.UTC);
    String[] profiles = {"profile-1", "profile-7"};
    return List.of(
        PlannedQuery.of("findings: one", FindingStore.ONE, "fnd_0001000"),
        PlannedQuery.of("findings: a request's", FindingStore.OF_REQUEST, "req_0050000"),
        PlannedQuery.of("findings: a lease's", FindingStore.OF_LEASE, "lse_aaaaaaaaaaaaaaaaa10000"),
        PlannedQuery.of(
            "findings: everyone's since a week, medium and above, of a rule",
            FindingStore.SINCE,
            week,
            new String[] {"medium", "high"},
            "escape"),
        PlannedQuery.of(
            "findings: everyone's since a week",
            FindingStore.SINCE,
            week,
            new String[] {"low", "medium", "high"},
            null),
        PlannedQuery.of("findings: the judging turn", CallQueue.TURN),
        PlannedQuery.of("findings: the calls to judge", CallQueue.CLAIM, CallQueue.BATCH),
        PlannedQuery.of("findings: a batch's services", BaselineStore.SERVICES, profiles, novel),
        PlannedQuery.of("findings: a batch's regions", BaselineStore.REGIONS, profiles, novel),
        PlannedQuery.of(
            "findings: a batch's people's networks",
            BaselineStore.NETWORKS,
            new String[] {"https://idp.example", "https://idp.example"},
            new String[] {"user-10", "user-4000"},
            novel),
        PlannedQuery.of(
            "findings: a batch's hours",
            BaselineStore.HOURS,
            profiles,
            now.minus(Duration.ofDays(15)).atOffset(ZoneOffset.UTC)),
        PlannedQuery.of(
            "findings: a batch's burst calls",
            BaselineStore.BURSTS,
            new String[] {"grt_0099800", "grt_0099800"},
            new String[] {"denied", "denied"},
            new OffsetDateTime[] {at.minusMinutes(10), at.minusMinutes(9)},
            new OffsetDateTime[] {at, at.plusMinutes(1)},
            new Integer[] {10, 10}));
  }
}
