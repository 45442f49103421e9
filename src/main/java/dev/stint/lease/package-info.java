/**
 * Task leases: a lease of a grant for one task, with its own token, handed by the grant's holder to
 * an agent.
 *
 * <p>A lease ({@code Lease}) has its window, never past its grant's end; the policy its credentials
 * carry; and its agent, a token's holder or an identity of its own. Its secret ({@code
 * LeaseTokens}: {@code stl_}, the lease id's random part, then 256 random bits) is kept only as its
 * SHA-256 and found by that hash. Its table ({@code LeaseStore}): a lease leaves {@code active}
 * once, by a write that finds it still active; {@code max_active} is counted in the grant's turn.
 *
 * <p>Whether a lease may be made of a grant and what it is ({@code LeaseRules}: the holder only,
 * within the profile's {@code leases} rule and the grant's end, its policy the grant's or proven
 * inside it by {@code common.AwsPolicyContainment}). Whether its people may still use it ({@code
 * LeaseEligibility}: neither the grant's holder nor the agent it names suspended from the profile
 * by an access review, asked through {@code access.Grants.held} when a lease is made and at each
 * mint, a failed read refusing).
 *
 * <p>The use cases ({@code LeaseCreation}, {@code LeaseReading}, {@code LeaseEnding}, assembled as
 * {@code Leases}) with their audit events. A lease's revoke marks its sessions in the ledger
 * ({@code ledger.Ledger.markLeaseRevoked}) and writes its deny to the outbox in its transaction, in
 * the caller's turn of revokes ({@code access.Requests.inRevokeTurn}, the turn their grants'
 * revokes take), and, when the caller holds the grant, is paced as their grants' revokes are
 * ({@code access.RevocationPace.ofLease}, given by {@code app}: {@code lease.revoke_paced}, 429). A
 * lease revoked as stint for a finding takes the same path, never paced, its request read through
 * {@code access.Grants.requestOfLease} ({@code LeaseEnding.revokeAsStint}). The outbox listener
 * ends a revoked grant's leases.
 */
package dev.stint.lease;
