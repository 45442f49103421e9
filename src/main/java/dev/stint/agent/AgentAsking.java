package dev.stint.agent;

import dev.stint.access.AccessRequest;
import dev.stint.access.Caller;
import dev.stint.lease.Lease;
import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;

/**
 * What an enrolled agent does, from the routes {@code stint mcp} calls: see what it may ask for,
 * ask (a pending lease on its person's active grant of the profile), and read and end the leases it
 * asked. The caller is the agent as its token was resolved ({@link AgentBearers}); it never reaches
 * another agent's leases. Every refusal is recorded.
 */
public interface AgentAsking {
  /** The agent itself, with the profiles it may ask for. */
  Future<Agent> self(Caller agent);

  /**
   * Asks: a pending lease on its person's active grant of the profile, waiting for a person; or,
   * with no such grant, a request in the person's name that carries the agent and its task, going
   * through the profile's approval as any request does (one already pending is answered again).
   */
  Future<Asked> ask(Caller agent, AgentAsk asked);

  /** What an ask filed: a lease, or a request that must be approved before a lease is asked. */
  record Asked(Optional<Lease> lease, Optional<AccessRequest> request) {}

  /** The leases it asked for, newest first. */
  Future<List<Lease>> asked(Caller agent);

  /**
   * Lease {@code leaseId}, if this agent asked it, with the caller to read it as: its person, whose
   * grant it is of (its credentials and calls are read as theirs).
   */
  Future<AskedLease> lease(Caller agent, String leaseId);

  /** Ends lease {@code leaseId} it asked, as a revoke: its sessions denied. */
  Future<Lease> end(Caller agent, String leaseId);

  /** A lease the agent asked, and its person as a caller to read the lease's record as. */
  record AskedLease(Lease lease, Caller person) {}
}
