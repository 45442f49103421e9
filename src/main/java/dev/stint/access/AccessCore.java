package dev.stint.access;

import dev.stint.policy.PolicyInForce;
import java.time.Clock;

/**
 * What every requests use case works through, below them all: the store, the audit events, the
 * policy in force, the fact lookups, the feed told of committed changes and each person's turn of
 * revokes (their grants' and their task leases' alike). None of these knows the use cases above it,
 * so no use case hands itself to a helper.
 */
record AccessCore(
    AccessStore store,
    AccessAudit audit,
    PolicyInForce policies,
    AccessSettings settings,
    Clock clock,
    FactLookups lookups,
    ChangeFeed feed,
    RevokeTurns revokeTurns) {}
