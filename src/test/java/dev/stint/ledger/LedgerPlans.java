package dev.stint.ledger;

import dev.stint.testing.PlannedQuery;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * The ledger's SQL, as {@link Ledger} runs it, with parameters that name rows of the plan test's
 * generated data (grants {@code grt_NNNNNNN}, roles {@code role-N}, credentials
 * {@code crd_NNNNNNN}).
 */
public final class LedgerPlans {
  private LedgerPlans() {}

  public static List<PlannedQuery> queries(Instant now) {
    OffsetDateTime at = now.atOffset(ZoneOffset.UTC);
    OffsetDateTime hourAgo = now.minusSeconds(3600).atOffset(ZoneOffset.UTC);
    String role = "arn:aws:iam::111122223333:role/role-7";
    return List.of(
        PlannedQuery.of("ledger: a grant's credentials", Ledger.OF_GRANT, "grt_0050000"),
        PlannedQuery.of("ledger: a grant's latest expiry", Ledger.LATEST_EXPIRY, "grt_0050000"),
        PlannedQuery.of("ledger: what a revoke reaches", Ledger.REACH, "grt_0099990", at),
        PlannedQuery.of("ledger: mark revoked", Ledger.MARK_REVOKED, "grt_0099990",
            new String[] {role}, at),
        PlannedQuery.of("ledger: revoked on a role", Ledger.REVOKED_ON, role, at,
            Instant.EPOCH.atOffset(ZoneOffset.UTC)),
        PlannedQuery.of("ledger: live before a cutoff", Ledger.LIVE_BEFORE, role, at, at),
        PlannedQuery.of("ledger: revoked until", Ledger.REVOKED_UNTIL, role, at, at),
        PlannedQuery.of("ledger: withhold", Ledger.WITHHOLD, "crd_0150000", hourAgo));
  }
}
