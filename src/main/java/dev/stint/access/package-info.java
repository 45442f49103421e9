/**
 * Requests, votes and grants (extensions are {@code extension}'s), as ports over use cases over a
 * core.
 *
 * <p>Only ports and their values leave it ({@code AccessPortsTest}: at most 25 public types, at
 * most 20 of them imported elsewhere). The ports, one per kind of caller, each held only where that
 * test says: {@code Requests} and {@code Decisions} for the routes, pages and notifiers ({@code
 * Requests} also for the findings' reads, which show a request's findings as the request is
 * visible; {@code Decisions} also for an admin's view of the undelivered outbox), {@code Bundles}
 * for the routes, pages and notifiers that file and show requests made together, {@code Grants} for
 * the issuance pipeline, {@code Sweeps} for the timers, {@code Leavers} for deprovisioning and
 * access reviews, {@code VoterFacts} and {@code RequestsInTransaction} for extensions, {@code
 * RevocationPace} and {@code EligibilityHolds} for what paces revokes and holds eligibility. The
 * use cases implement them, assembled for {@code app} by {@code AccessUseCases} over a {@code
 * Footing} (pool, outbox, holds): the stores, rules, audit events and state machine are
 * package-private, so no other package names a store.
 *
 * <p>The core below never calls up into a use case: the pure state machine; whether a vote
 * (approve, deny, cancel) may be cast on a request or on what hangs on one, such as an extension
 * ({@code Vote}, asked by {@code GroupDecision}, both state machines and {@code extension}); the
 * decision on a group of requests ({@code GroupDecision}); the stores by what they store ({@code
 * AccessStore} requests, {@code VoteStore} votes and their stages, {@code GrantStore} grants); the
 * audit events; the fact lookups; the feed told of committed changes, and the admins' view of the
 * outbox ({@code OutboxAdmin}); the policy's questions of filing ({@code FilingRules}) and of a
 * filed request ({@code AccessRules}); what a revoke reaches, read from the ledger ({@code
 * ledger.LedgerReach}).
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
