package dev.stint.policy;

import java.util.List;
import java.util.Optional;

/**
 * What an enrolled agent may ask for, and what a person may enroll one for, each answer a decision
 * with its reason: an agent is enrolled only for profiles that allow task leases; it asks only for
 * a profile of its enrollment, and reads or ends only the leases it asked. Who approves what it
 * asked is a lease's vote rules' answer ({@link LeaseRights}); the agent never votes.
 */
public final class AgentRights {
  private AgentRights() {}

  /** A profile an agent is enrolled for lets its grants be leased: an agent asks for leases. */
  public static Decision mayEnrollFor(Profile profile) {
    return profile.leases().isPresent()
        ? Decision.allow("profile '" + profile.name() + "' allows leases")
        : Decision.deny(
            "profile '"
                + profile.name()
                + "' allows no leases (no leases: rule): an agent cannot ask for it");
  }

  /** An agent asks only for the profiles it was enrolled for. */
  public static Decision mayAsk(String agentName, List<String> enrolled, String profile) {
    return enrolled.contains(profile)
        ? Decision.allow("agent " + agentName + " is enrolled for profile '" + profile + "'")
        : Decision.deny(
            "agent "
                + agentName
                + " is not enrolled for profile '"
                + profile
                + "' (its profiles: "
                + String.join(", ", enrolled)
                + "); its person enrolls another agent for it");
  }

  /** An agent reads and ends only the leases it asked for: another's is as one that is not. */
  public static Decision mayUseLease(String agentId, String leaseId, Optional<String> askedBy) {
    return askedBy.filter(agentId::equals).isPresent()
        ? Decision.allow("lease " + leaseId + " was asked by this agent")
        : Decision.deny("lease " + leaseId + " was not asked by this agent");
  }
}
