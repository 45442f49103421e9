package dev.stint.access;

import dev.stint.access.AccessRequest.ApprovalStage;
import dev.stint.access.AccessRequest.StageProgress;
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
import java.util.List;
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

  /** The moment these rules answer for. */
  public Instant now() {
    return now;
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
    return evaluator.rights(p, filed(r, r.requester()).withFacts(looked), now);
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
    return evaluator.rights(p, filed(r, asker).withFacts(looked), now);
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
        r.createdAt(),
        openStage(r));
  }

  /** The open stage of a pending request, with the stages still to come after it. */
  private static Optional<FiledRequest.OpenStage> openStage(AccessRequest r) {
    List<StageProgress> stages = StageProgress.of(r);
    for (int i = 0; i < stages.size(); i++) {
      StageProgress s = stages.get(i);
      if (s.state() == StageProgress.State.OPEN) {
        List<String> waiting =
            stages.subList(i + 1, stages.size()).stream()
                .filter(w -> w.state() == StageProgress.State.WAITING)
                .map(StageProgress::name)
                .toList();
        return Optional.of(
            new FiledRequest.OpenStage(s.name(), s.openedAt().orElseThrow(), waiting));
      }
    }
    return Optional.empty();
  }

  /** The stages of {@code profile} as they are, none skipped. */
  public List<ApprovalStage> unskipped(Profile profile) {
    return profile.approval().stages().stream()
        .map(s -> new ApprovalStage(s.name(), s.count(), false))
        .toList();
  }

  /**
   * The stages a request {@code p} files for {@code profile} has: each named and counted as the
   * policy has it now, skipped when its {@code skip_if} holds for them, what they ask and the facts
   * {@code looked} up.
   */
  public List<ApprovalStage> stages(
      Principal p, Profile profile, NewRequest asked, FactValues looked) {
    RequestFacts facts = facts(asked).withFacts(looked);
    return profile.approval().stages().stream()
        .map(
            s -> new ApprovalStage(s.name(), s.count(), evaluator.skips(p, profile, s, facts, now)))
        .toList();
  }

  private static RequestFacts facts(NewRequest asked) {
    return new RequestFacts(
        asked.duration(),
        Optional.of(asked.reason()).filter(s -> !s.isBlank()),
        asked.ticket(),
        asked.breakGlass());
  }
}
