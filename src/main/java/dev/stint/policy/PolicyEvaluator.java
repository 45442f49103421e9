package dev.stint.policy;

import dev.stint.common.Durations;
import dev.stint.identity.Person;
import dev.stint.identity.Principal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The policy's answers, computed from the given values only: no I/O, no clock, no state. Every deny
 * carries the precise reason; a condition that fails to evaluate denies.
 */
public final class PolicyEvaluator {
  /** Whose variables {@link #endsNow} starts from before putting the holder's in their place. */
  private static final Principal ANONYMOUS =
      new Principal(
          "", "", "", Optional.empty(), List.of(), Map.of(), Instant.EPOCH, Optional.empty());

  private final Policy policy;
  private final Roles roles;

  public PolicyEvaluator(Policy policy) {
    this.policy = policy;
    this.roles = new Roles(policy);
  }

  /** May this person request this profile with these facts? Durations are never shortened here. */
  public Decision canRequest(Principal p, Profile profile, RequestFacts facts, Instant now) {
    Condition.Evaluation who =
        profile
            .requesters()
            .evaluate(ConditionVariables.ofRequest(p, profile.name(), facts, now), facts.facts());
    if (!who.value()) {
      return Roles.deny(who, "you are not allowed to request profile '" + profile.name() + "'");
    }
    if (facts.duration().isNegative() || facts.duration().isZero()) {
      return Decision.deny("the requested duration must be positive");
    }
    if (facts.duration().compareTo(profile.maxDuration()) > 0) {
      return Decision.deny(
          "requested duration "
              + Durations.format(facts.duration())
              + " exceeds the maximum of "
              + Durations.format(profile.maxDuration())
              + " for profile '"
              + profile.name()
              + "'");
    }
    if (facts.breakGlass() && !profile.breakGlass()) {
      return Decision.deny("profile '" + profile.name() + "' does not allow break-glass");
    }
    Optional<String> reason = facts.reason().filter(r -> !r.isBlank());
    if (profile.reason().required() && reason.isEmpty()) {
      return Decision.deny("profile '" + profile.name() + "' requires a reason");
    }
    Optional<Pattern> pattern = profile.reason().pattern();
    if (reason.isPresent() && pattern.isPresent() && !pattern.get().matcher(reason.get()).find()) {
      return Decision.deny(
          "the reason does not match the pattern "
              + pattern.get().pattern()
              + " required by profile '"
              + profile.name()
              + "'");
    }
    return Decision.allow("may request profile '" + profile.name() + "'");
  }

  /**
   * Is this person among the profile's requesters at all (asked with the profile's maximum duration
   * and no reason)? For listing profiles; a request is decided by {@link #canRequest}.
   */
  public boolean mayRequest(Principal p, Profile profile, Instant now) {
    RequestFacts facts =
        new RequestFacts(profile.maxDuration(), Optional.empty(), Optional.empty(), false);
    return profile
        .requesters()
        .evaluate(ConditionVariables.ofRequest(p, profile.name(), facts, now), facts.facts())
        .value();
  }

  /**
   * What this person may do with a request already made: see, approve, deny, cancel, revoke,
   * review, extend. Every such "may" is answered there, each with its reason.
   */
  public RequestRights rights(Principal p, FiledRequest request, Instant now) {
    return new RequestRights(roles, p, request, now);
  }

  /** What this person may do with what access reviews decided: restore a suspension. */
  public ReviewRights reviewRights(Principal p, Instant now) {
    return new ReviewRights(roles, p, now);
  }

  /** May this person read the audit (its pages, export and live stream)? The auditors may. */
  public Decision mayReadAudit(Principal p, Instant now) {
    return isAuditor(p, now)
        ? Decision.allow("among the auditors")
        : Decision.deny("reading the audit needs the auditor role");
  }

  /**
   * Is this person's request approved without an approver? Break-glass never counts as approval.
   */
  public Decision autoApproves(Principal p, Profile profile, RequestFacts facts, Instant now) {
    Optional<Condition> auto = profile.approval().autoApprove();
    if (auto.isEmpty()) {
      return Decision.deny("profile '" + profile.name() + "' has no auto-approve rule");
    }
    Condition.Evaluation outcome =
        auto.get()
            .evaluate(ConditionVariables.ofRequest(p, profile.name(), facts, now), facts.facts());
    if (!outcome.value()) {
      return Roles.deny(
          outcome, "the auto-approve rule of profile '" + profile.name() + "' does not match you");
    }
    return Decision.allow("auto-approved by the rule of profile '" + profile.name() + "'");
  }

  /**
   * Whether a live grant of {@code profile} held by {@code holder} ends now: its {@code end_when}
   * with the facts looked up. No token is at hand, so {@code principal} has the holder's issuer,
   * subject and email only (no groups, no claims); an error counts as false, so a grant never ends
   * on a condition that could not be evaluated.
   */
  public Condition.Evaluation endsNow(
      Person holder, Profile profile, RequestFacts facts, Instant now) {
    if (profile.endWhen().isEmpty()) {
      return new Condition.Evaluation(false, Optional.empty());
    }
    Map<String, Object> principal = new LinkedHashMap<>();
    principal.put("issuer", policy.issuerByUrl(holder.issuer()).map(IssuerConfig::name).orElse(""));
    principal.put("issuer_url", holder.issuer());
    principal.put("subject", holder.subject());
    principal.put("email", holder.email().orElse(""));
    principal.put("groups", List.of());
    Map<String, Object> vars =
        new LinkedHashMap<>(ConditionVariables.ofRequest(ANONYMOUS, profile.name(), facts, now));
    vars.put("principal", principal);
    vars.put("claims", Map.of());
    return profile.endWhen().get().evaluate(vars, facts.facts());
  }

  /**
   * Whether {@code stage} of a request {@code p} files is skipped: its {@code skip_if} holds for
   * them and what they ask. An error counts as false, so a stage is never skipped on a condition
   * that could not be evaluated.
   */
  public boolean skips(Principal p, Profile profile, Stage stage, RequestFacts facts, Instant now) {
    return stage
        .skipIf()
        .map(
            c ->
                c.evaluate(
                        ConditionVariables.ofRequest(p, profile.name(), facts, now), facts.facts())
                    .value())
        .orElse(false);
  }

  /**
   * The escalation of a request's deciding stage once the request has waited there its {@code
   * escalate_after} at {@code now} (counted from when the stage opened); empty before, and for a
   * stage without one (or a profile or stage no longer in the policy).
   */
  public Optional<Escalation> escalated(FiledRequest request, Instant now) {
    return roles.escalated(request, now);
  }

  public boolean isAuditor(Principal p, Instant now) {
    return roles.isAuditor(p, now);
  }

  public boolean isAdmin(Principal p, Instant now) {
    return roles.isAdmin(p, now);
  }

  /**
   * Whether {@code p} reviews who may request {@code profile}: its {@code access_review}'s {@code
   * reviewers} rule holds for them. Nobody reviews a profile that declares no review.
   */
  public boolean isReviewer(Principal p, Profile profile, Instant now) {
    return roles.isReviewer(p, profile, now);
  }
}
