/**
 * Requests, votes and grants (extensions are {@code extension}'s), as ports over use cases over a
 * core.
 *
 * <p>The ports, one per kind of caller, each held only where {@code AccessPortsTest} says: {@code
 * Requests} and {@code Decisions} for the routes, pages and notifiers ({@code Requests} also for
 * the findings' reads, which show a request's findings as the request is visible), {@code Grants}
 * for the issuance pipeline, {@code Sweeps} for the timers, {@code Leavers} for deprovisioning and
 * access reviews, {@code VoterFacts} for extensions. The use cases implement them, assembled for
 * {@code app} by {@code AccessUseCases}.
 *
 * <p>The core below never calls up into a use case: the pure state machine; whether a vote
 * (approve, deny, cancel) may be cast on a request or on what hangs on one, such as an extension
 * ({@code Vote}, asked by {@code GroupDecision}, both state machines and {@code extension}); the
 * decision on a group of requests ({@code GroupDecision}); the stores by what they store ({@code
 * AccessStore} requests, {@code VoteStore} votes and their stages, {@code GrantStore} grants); the
 * audit events; the fact lookups; the feed told of committed changes, and the admins' view of the
 * outbox; what a revoke reaches, read from the ledger ({@code ledger.LedgerReach}).
 *
 * <p>{@code Leavers} ends a deprovisioned person's grants and requests, and withdraws their votes
 * that still wait, in the directory's transaction, or one person's grants and requests of one
 * profile in an access review's decision ({@code Leavers.endOn}), or the one grant a finding's
 * {@code end} names ({@code Leavers.revokeGrant}, joined by {@code app} for {@code finding}). The
 * port {@code EligibilityHolds}, asked in each request's insert (and through {@code Grants.held}
 * for a task lease's holder and agent, each read in a transaction of its own), says whom a review
 * suspended ({@code review.Suspensions} answers it). docs/design.md draws the layers ("The requests
 * package, in layers").
 */
package dev.stint.access;
