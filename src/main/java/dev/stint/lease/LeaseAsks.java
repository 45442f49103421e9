package dev.stint.lease;

import dev.stint.access.Caller;
import dev.stint.identity.Person;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;

/**
 * An enrolled agent asking for a task lease on its person's grant ({@code agent} package): the
 * lease is made as its holder would make it ({@link LeaseRules}, the grant's turn, its policy
 * proven inside the grant's), but always {@code pending}, whatever the profile's {@code leases}
 * rule says, until a person approves it (its holder, or an approver of its grant, {@code POST
 * /v1/leases/{id}/approve}); it names the agent ({@link Lease#AGENT_ISSUER}) as the identity that
 * mints it, so it has no token; it ends at the agent's end at the latest. Recorded as {@code
 * lease.requested} with the agent; a refusal as {@code lease.refused}.
 */
public interface LeaseAsks {
  /**
   * What the agent asks: on request {@code requestId}'s grant, held by {@code owner}, shown to
   * approvers as {@code askedBy}, ending by {@code notAfter}.
   */
  record Ask(
      String requestId, Person owner, Lease.AskedBy askedBy, LeaseTerms terms, Instant notAfter) {}

  /** The pending lease; {@code agent} is the agent's caller, whom the lease names. */
  Future<Lease> ask(Caller agent, Ask ask);

  /** The leases agent {@code agentId} asked for, newest first, whatever their state. */
  Future<List<Lease>> ofAgent(String agentId);
}
