package dev.stint.access;

import dev.stint.access.AccessRequest.ApprovalStage;
import dev.stint.identity.Principal;
import dev.stint.policy.Decision;
import dev.stint.policy.FactNeeds;
import dev.stint.policy.FactValues;
import dev.stint.policy.Policy;
import dev.stint.policy.PolicyEvaluator;
import dev.stint.policy.Profile;
import dev.stint.policy.RequestFacts;
import java.time.Instant;
import java.util.List;

/**
 * The policy questions filing a request asks, against one policy at one moment: whether the person
 * may ask for the profile, whether it approves at once, and the stages it is filed with. What was
 * asked is put in the policy's terms ({@link NewRequest#facts}); the answers are the policy's, and
 * what may be done with a request once filed is {@link AccessRules}'.
 */
final class FilingRules {
  private final PolicyEvaluator evaluator;
  private final Instant now;

  FilingRules(Policy policy, Instant now) {
    this.evaluator = new PolicyEvaluator(policy);
    this.now = now;
  }

  /** The moment these rules answer for. */
  Instant now() {
    return now;
  }

  Decision mayRequest(Principal p, Profile profile, NewRequest asked) {
    return mayRequest(p, profile, asked, FactValues.NONE);
  }

  /**
   * Whether {@code p} may ask for {@code profile}, the policy's requesters rule deciding with the
   * facts {@code looked} up; a refusal by a rule that reads facts names them as they were seen.
   */
  Decision mayRequest(Principal p, Profile profile, NewRequest asked, FactValues looked) {
    Decision d = evaluator.canRequest(p, profile, asked.facts().withFacts(looked), now);
    FactNeeds needs = profile.requesters().needs();
    if (d.allowed() || needs.none()) {
      return d;
    }
    return Decision.deny(d.reason() + " (facts: " + looked.describeForCaller(needs) + ")");
  }

  boolean autoApproves(Principal p, Profile profile, NewRequest asked, FactValues looked) {
    return evaluator.autoApproves(p, profile, asked.facts().withFacts(looked), now).allowed();
  }

  /** The stages of {@code profile} as they are, none skipped. */
  List<ApprovalStage> unskipped(Profile profile) {
    return profile.approval().stages().stream()
        .map(s -> new ApprovalStage(s.name(), s.count(), false))
        .toList();
  }

  /**
   * The stages a request {@code p} files for {@code profile} has: each named and counted as the
   * policy has it now, skipped when its {@code skip_if} holds for them, what they ask and the facts
   * {@code looked} up.
   */
  List<ApprovalStage> stages(Principal p, Profile profile, NewRequest asked, FactValues looked) {
    RequestFacts facts = asked.facts().withFacts(looked);
    return profile.approval().stages().stream()
        .map(
            s -> new ApprovalStage(s.name(), s.count(), evaluator.skips(p, profile, s, facts, now)))
        .toList();
  }
}
