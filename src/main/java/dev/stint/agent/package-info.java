/**
 * Agents that ask (docs/agents.md, "Agents that ask"): a person enrolls an AI agent for some
 * profiles and hands it a token of its own (kept hashed, expiring, revocable); the agent asks for
 * task leases on its person's grants, each waiting for a person's approval ({@code
 * lease.LeaseAsks}), and reads and ends the leases it asked. Owns the {@code agents} table.
 */
package dev.stint.agent;
