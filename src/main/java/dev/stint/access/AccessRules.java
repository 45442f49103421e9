package dev.stint.access;

import dev.stint.identity.Principal;
import dev.stint.policy.Decision;
import dev.stint.policy.Policy;
import dev.stint.policy.PolicyEvaluator;
import dev.stint.policy.Profile;
import dev.stint.policy.RequestFacts;
import dev.stint.policy.Requester;
import java.time.Instant;
import java.util.Optional;

/**
 * The policy questions the requests use cases ask, answered against one policy at one moment.
 * A request whose profile has since left the policy can no longer be approved, but its
 * requester and admins can still see and revoke it.
 */
final class AccessRules {
  private final Policy policy;
  private final PolicyEvaluator evaluator;
  private final Instant now;

  AccessRules(Policy policy, Instant now) {
    this.policy = policy;
    this.evaluator = new PolicyEvaluator(policy);
    this.now = now;
  }

  Optional<String> whyNotRequester(Principal p, Profile profile, NewRequest asked) {
    Decision d = evaluator.canRequest(p, profile, facts(asked), now);
    return d.allowed() ? Optional.empty() : Optional.of(d.reason());
  }

  boolean autoApproves(Principal p, Profile profile, NewRequest asked) {
    return evaluator.autoApproves(p, profile, facts(asked), now).allowed();
  }

  boolean mayApprove(Principal p, AccessRequest r) {
    Optional<Profile> profile = policy.profile(r.profile());
    if (profile.isEmpty()) {
      return false;
    }
    RequestFacts facts = new RequestFacts(r.duration(), Optional.of(r.reason()), r.ticket(),
        r.breakGlass());
    Requester requester = new Requester(r.requester().issuer(), r.requester().subject(),
        r.requester().email());
    return evaluator.canApprove(p, profile.get(), facts, requester, now).allowed();
  }

  boolean isAdmin(Principal p) {
    return evaluator.isAdmin(p, now);
  }

  /** Requesters see their own requests, approvers those they may decide, admins and auditors all. */
  boolean maySee(Principal p, AccessRequest r) {
    Person caller = new Person(p.issuer(), p.subject(), p.email());
    return caller.is(r.requester()) || mayApprove(p, r) || isAdmin(p)
        || evaluator.isAuditor(p, now);
  }

  private static RequestFacts facts(NewRequest asked) {
    return new RequestFacts(asked.duration(), Optional.of(asked.reason()).filter(s -> !s.isBlank()),
        asked.ticket(), asked.breakGlass());
  }
}
