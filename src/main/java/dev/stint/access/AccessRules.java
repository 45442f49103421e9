package dev.stint.access;

import dev.stint.identity.Person;
import dev.stint.identity.Principal;
import dev.stint.policy.Decision;
import dev.stint.policy.Escalation;
import dev.stint.policy.FiledRequest;
import dev.stint.policy.Policy;
import dev.stint.policy.PolicyEvaluator;
import dev.stint.policy.Profile;
import dev.stint.policy.RequestFacts;
import dev.stint.policy.RequestRights;
import java.time.Instant;
import java.util.Optional;

/**
 * The policy questions the requests use cases ask, against one policy at one moment, put in the
 * policy's own terms: a stored request becomes a {@link FiledRequest}. The answers are the
 * policy's; nothing is decided here.
 */
public final class AccessRules {
  private final PolicyEvaluator evaluator;
  private final Instant now;

  public AccessRules(Policy policy, Instant now) {
    this.evaluator = new PolicyEvaluator(policy);
    this.now = now;
  }

  public Optional<String> whyNotRequester(Principal p, Profile profile, NewRequest asked) {
    Decision d = evaluator.canRequest(p, profile, facts(asked), now);
    return d.allowed() ? Optional.empty() : Optional.of(d.reason());
  }

  public boolean autoApproves(Principal p, Profile profile, NewRequest asked) {
    return evaluator.autoApproves(p, profile, facts(asked), now).allowed();
  }

  /** What {@code p} may do with request {@code r}. */
  public RequestRights rights(Principal p, AccessRequest r) {
    return evaluator.rights(p, filed(r, r.requester()), now);
  }

  /**
   * What {@code p} may do with an extension of request {@code r} asked by {@code asker}: the
   * request's facts, the extension's asker (the holder, whose email may have changed since).
   */
  public RequestRights rights(Principal p, AccessRequest r, Person asker) {
    return evaluator.rights(p, filed(r, asker), now);
  }

  /** The escalation now in force for request {@code r}, if it has waited long enough. */
  public Optional<Escalation> escalated(AccessRequest r) {
    return evaluator.escalated(filed(r, r.requester()), now);
  }

  public boolean maySee(Principal p, AccessRequest r) {
    return rights(p, r).maySee().allowed();
  }

  private static FiledRequest filed(AccessRequest r, Person requester) {
    return new FiledRequest(
        requester,
        r.profile(),
        new RequestFacts(r.duration(), Optional.of(r.reason()), r.ticket(), r.breakGlass()),
        r.createdAt());
  }

  private static RequestFacts facts(NewRequest asked) {
    return new RequestFacts(
        asked.duration(),
        Optional.of(asked.reason()).filter(s -> !s.isBlank()),
        asked.ticket(),
        asked.breakGlass());
  }
}
