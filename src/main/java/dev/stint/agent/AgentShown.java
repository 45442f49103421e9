package dev.stint.agent;

import dev.stint.lease.Lease;
import java.util.List;

/** An agent with the leases it asked for, newest first. */
public record AgentShown(Agent agent, List<Lease> asked) {
  public AgentShown {
    asked = List.copyOf(asked);
  }
}
