/**
 * Task leases: a lease of a grant for one task, with its own token, handed by the grant's holder to
 * an agent.
 *
 * <p>A lease ({@code Lease}) has its window, never past its grant's end; the policy its credentials
 * carry; and its agent, a token's holder or an identity of its own. Its secret ({@code
 * LeaseTokens}: {@code stl_}, the lease id's random part, then 256 random bits) is kept only as its
 * SHA-256 and found by that hash. Its table ({@code LeaseStore}, held by nobody outside): a lease
 * leaves {@code active} once, by a write that finds it still active; {@code max_active} is counted
 * in the grant's turn.
 *
 * <p>Every "may" of a lease is {@code policy.LeaseRights}'s answer, raised through {@code
 * Decision.orRefuse}: lease a grant (the holder, never a CI job's), carry a narrower policy (proven
 * inside the grant's by {@code common.AwsPolicyContainment}), vote (never the agent named), revoke,
 * mint as the agent named, mint at all, nobody suspended. What a lease is, how long and how many
 * ({@code LeaseRules}); whether its people are suspended, asked through {@code access.Grants.held}
 * when a lease is made and at each mint, a failed read refusing ({@code LeaseEligibility}).
 *
 * <p>Its face, a port per kind of caller, assembled by {@code Leases} for {@code app} alone ({@code
 * FeaturePortsTest}): {@code Leasing} (make, vote, revoke) and {@code LeaseViews} (read) for the
 * routes and pages, {@code LeaseViews} for findings too; {@code LeaseBearers} for the API's
 * authentication, which resolves a lease token into its caller (the lease, {@code
 * urn:stint:lease}); {@code LeaseMints} for the issuance pipeline (the lease a caller names: a
 * bearer's own, or one naming them as agent; read again; its people not suspended); {@code
 * RevokedLeases} for the revocation of their sessions; {@code RevokesAsStint} for a finding's
 * action. The use cases behind them ({@code LeaseCreation}, {@code LeaseReading}, {@code
 * LeaseDeciding}, {@code LeaseEnding}, {@code LeaseMinting}) record every refusal as {@code
 * lease.refused}.
 *
 * <p>A lease's revoke marks its sessions in the ledger ({@code ledger.Ledger.markLeaseRevoked}) and
 * writes its deny to the outbox in its transaction, in the caller's turn of revokes ({@code
 * access.Requests.inRevokeTurn}, the turn their grants' revokes take), and, when the caller holds
 * the grant, is paced as their grants' revokes are ({@code access.RevocationPace.ofLease}, given by
 * {@code app}: {@code lease.revoke_paced}, 429). A lease revoked as stint for a finding takes the
 * same path, never paced, its request read through {@code access.Grants.requestOfLease}. The outbox
 * listener ends a revoked grant's leases.
 */
package dev.stint.lease;
