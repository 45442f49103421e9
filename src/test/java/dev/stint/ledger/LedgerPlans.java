package dev.stint.ledger;

import dev.stint.testing.PlannedQuery;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * The ledger's SQL, as {@link Ledger} and {@link RoleLedger} run it, with parameters that name rows
 * of the plan test's generated data (grants {@code grt_NNNNNNN}, roles {@code role-N}, credentials
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
        PlannedQuery.of(
            "ledger: credentials by id",
            Ledger.SOME,
            (Object) new String[] {"crd_0150000", "crd_0150001"}),
        PlannedQuery.of(
            "ledger: the credential of an access key",
            Ledger.OF_KEY,
            "ASIA0000000000150000",
            "aws"),
        PlannedQuery.of("ledger: a grant's latest expiry", Ledger.LATEST_EXPIRY, "grt_0050000"),
        PlannedQuery.of("ledger: what a revoke reaches", Ledger.REACH, "grt_0099990", at),
        PlannedQuery.of(
            "ledger: what a deny must reach", DeniableSessions.DENIABLE, "grt_0099990", at),
        PlannedQuery.of(
            "ledger: what a deny of revoked leases must reach",
            DeniableSessions.LEASES_DENIABLE,
            (Object) new String[] {"lse_aaaaaaaaaaaaaaaaaaaaaaaa"},
            at),
        PlannedQuery.of("ledger: mark revoked", Ledger.MARK_REVOKED, "grt_0099990", at),
        PlannedQuery.of("ledger: withhold", Ledger.WITHHOLD, "crd_0150000", hourAgo),
        PlannedQuery.of("ledger: revoked on a role", RoleLedger.REVOKED_ON, role, at),
        PlannedQuery.of(
            "ledger: cut by a cutoff", RoleLedger.CUT_BETWEEN, role, at, hourAgo, at, null),
        PlannedQuery.of("ledger: revoked until", RoleLedger.REVOKED_UNTIL, role, at, at),
        PlannedQuery.of("ledger: deny confirmed", RoleLedger.CONFIRM_DENIED, role, at),
        PlannedQuery.of(
            "ledger: a person's own revocations on the grant's roles",
            DeniableSessions.HOLDERS_ROOM,
            "grt_0099990",
            at),
        PlannedQuery.of(
            "ledger: a person's own revocations on the lease's roles",
            DeniableSessions.LEASE_HOLDERS_ROOM,
            "lse_aaaaaaaaaaaaaaaaaaaaaaaa",
            at));
  }
}
