package dev.stint.policy;

import dev.stint.identity.Principal;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Who one person is under one policy: an admin, an auditor, a profile's reviewer, an approver of a
 * stage or of its escalation. The rights classes and {@link PolicyEvaluator} ask it; it asks none
 * of them back. Pure: a condition that fails to evaluate counts as false.
 */
final class Roles {
  private final Policy policy;

  Roles(Policy policy) {
    this.policy = policy;
  }

  Policy policy() {
    return policy;
  }

  boolean isAdmin(Principal p, Instant now) {
    return role(policy.admins(), p, now);
  }

  boolean isAuditor(Principal p, Instant now) {
    return role(policy.auditors(), p, now);
  }

  /** The profile's {@code access_review} {@code reviewers} rule holds for {@code p}. */
  boolean isReviewer(Principal p, Profile profile, Instant now) {
    return role(profile.accessReview().map(ReviewRule::reviewers), p, now);
  }

  /** A stage's approvers condition, evaluated for this person and request. */
  Condition.Evaluation approvers(
      Principal p, Profile profile, Stage stage, RequestFacts facts, Instant now) {
    return stage
        .approvers()
        .evaluate(ConditionVariables.ofRequest(p, profile.name(), facts, now), facts.facts());
  }

  /** An escalation's {@code escalate_to} rule, evaluated for this person and request. */
  Condition.Evaluation escalatedApprovers(
      Principal p, Profile profile, Escalation escalation, RequestFacts facts, Instant now) {
    return escalation
        .to()
        .evaluate(ConditionVariables.ofRequest(p, profile.name(), facts, now), facts.facts());
  }

  /**
   * The escalation of a request's deciding stage once the request has waited there its {@code
   * escalate_after} at {@code now} (counted from when the stage opened); empty before, and for a
   * stage without one (or a profile or stage no longer in the policy).
   */
  Optional<Escalation> escalated(FiledRequest request, Instant now) {
    return policy
        .profile(request.profile())
        .flatMap(request::deciding)
        .flatMap(Stage::escalation)
        .filter(e -> !now.isBefore(request.waitingSince().plus(e.after())));
  }

  /** A denial with the condition's error, if it had one, after the reason. */
  static Decision deny(Condition.Evaluation outcome, String reason) {
    return Decision.deny(
        reason + outcome.error().map(e -> " (condition error: " + e + ")").orElse(""));
  }

  private static boolean role(Optional<Condition> condition, Principal p, Instant now) {
    return condition
        .map(c -> c.evaluate(ConditionVariables.of(p, Map.of(), now)).value())
        .orElse(false);
  }
}
