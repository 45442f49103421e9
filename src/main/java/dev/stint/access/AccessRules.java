package dev.stint.access;

import dev.stint.identity.Principal;
import dev.stint.policy.Escalation;
import dev.stint.policy.FactValues;
import dev.stint.policy.Policy;
import dev.stint.policy.PolicyEvaluator;
import dev.stint.policy.RequestRights;
import java.time.Instant;
import java.util.Optional;

/**
 * The policy questions the requests use cases ask of a request once filed, against one policy at
 * one moment: what a person may do with it, and the escalation in force. The request is put in the
 * policy's own terms ({@link AccessRequest#filed}); the answers are the policy's, and nothing is
 * decided here. Filing's own questions are {@link FilingRules}'.
 */
final class AccessRules {
  private final PolicyEvaluator evaluator;
  private final Instant now;

  AccessRules(Policy policy, Instant now) {
    this.evaluator = new PolicyEvaluator(policy);
    this.now = now;
  }

  /** What {@code p} may do with request {@code r}. */
  RequestRights rights(Principal p, AccessRequest r) {
    return rights(p, r, FactValues.NONE);
  }

  /** What {@code p} may do with request {@code r}, with the facts {@code looked} up about them. */
  RequestRights rights(Principal p, AccessRequest r, FactValues looked) {
    return evaluator.rights(p, r.filed(r.requester()).withFacts(looked), now);
  }

  /** The escalation now in force for request {@code r}, if it has waited long enough. */
  Optional<Escalation> escalated(AccessRequest r) {
    return evaluator.escalated(r.filed(r.requester()), now);
  }
}
