/**
 * The one issuance pipeline, from the policy snapshot to the credential's record and answer, for
 * people, CI jobs (exchange, CI requests), console links and task leases.
 *
 * <p>Minting on a task lease ({@code LeaseIssuance}) asks {@code lease.LeaseEligibility} before
 * each mint. A database out of reach is answered as unavailable ({@code db.Database.unreachable}).
 * docs/design.md walks one credential through it ("One credential, step by step").
 */
package dev.stint.issuance;
