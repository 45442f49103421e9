package dev.stint.review;

import dev.stint.activity.ProfileUsage;
import dev.stint.ledger.MintHistory;
import dev.stint.policy.PolicyInForce;
import io.vertx.sqlclient.Pool;
import java.time.Clock;

/** What every part of reviews works with. */
record ReviewParts(
    Pool pool,
    PolicyInForce policies,
    ProfileUsage usage,
    MintHistory mints,
    ReviewAudit audit,
    Clock clock) {}
