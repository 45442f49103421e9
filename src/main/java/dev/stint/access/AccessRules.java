package dev.stint.access;

import dev.stint.identity.Person;
import dev.stint.identity.Principal;
import dev.stint.policy.Decision;
import dev.stint.policy.Escalation;
import dev.stint.policy.FactNeeds;
import dev.stint.policy.FactValues;
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
    return whyNotRequester(p, profile, asked, FactValues.NONE);
  }

  /**
   * Why {@code p} may not ask for {@code profile}, deciding with the facts {@code looked} up; a
   * refusal by a rule that reads facts names them as they were seen.
   */
  public Optional<String> whyNotRequester(
      Principal p, Profile profile, NewRequest asked, FactValues looked) {
    Decision d = evaluator.canRequest(p, profile, facts(asked).withFacts(looked), now);
    if (d.allowed()) {
      return Optional.empty();
    }
    FactNeeds needs = profile.requesters().needs();
    return Optional.of(
        needs.none()
            ? d.reason()
            : d.reason() + " (facts: " + looked.describeForCaller(needs) + ")");
  }

  public boolean autoApproves(Principal p, Profile profile, NewRequest asked) {
    return autoApproves(p, profile, asked, FactValues.NONE);
  }

  public boolean autoApproves(Principal p, Profile profile, NewRequest asked, FactValues looked) {
    return evaluator.autoApproves(p, profile, facts(asked).withFacts(looked), now).allowed();
  }

  /** What {@code p} may do with request {@code r}. */
  public RequestRights rights(Principal p, AccessRequest r) {
    return rights(p, r, FactValues.NONE);
  }

  /** What {@code p} may do with request {@code r}, with the facts {@code looked} up about them. */
  public RequestRights rights(Principal p, AccessRequest r, FactValues looked) {
    FiledRequest filed = filed(r, r.requester());
    return evaluator.rights(
        p,
        new FiledRequest(
            filed.requester(), filed.profile(), filed.facts().withFacts(looked), filed.filedAt()),
        now);
  }

  /**
   * What {@code p} may do with an extension of request {@code r} asked by {@code asker}: the
   * request's facts, the extension's asker (the holder, whose email may have changed since).
   */
  public RequestRights rights(Principal p, AccessRequest r, Person asker) {
    return rights(p, r, asker, FactValues.NONE);
  }

  /** As {@link #rights(Principal, AccessRequest, Person)}, with the facts {@code looked} up. */
  public RequestRights rights(Principal p, AccessRequest r, Person asker, FactValues looked) {
    FiledRequest filed = filed(r, asker);
    return evaluator.rights(
        p,
        new FiledRequest(
            filed.requester(), filed.profile(), filed.facts().withFacts(looked), filed.filedAt()),
        now);
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
