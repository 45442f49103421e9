package dev.stint.policy;

import dev.stint.identity.Principal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Who may request a profile and who may approve it, ahead of any request: for reviewing access,
 * never for deciding it. Rules are asked as {@link PolicyEvaluator#mayRequest} asks them (the
 * profile's maximum duration, no reason, no ticket, not break-glass), with no fact looked up: a
 * rule that a fact could still turn is {@link Answer#CONDITIONAL}, naming the facts it reads,
 * rather than a yes or no a fact lookup made up. Approving is approving others' requests: a
 * requester is refused their own at decision time ({@link RequestRights#mayApprove}), which no
 * report ahead of a request can stand for. Pure; one policy, one moment.
 */
public final class Eligibility {
  /** What a rule says about one person ahead of a request. */
  public enum Answer {
    YES,
    NO,
    CONDITIONAL
  }

  /** An answer, and the facts a conditional one waits on (none otherwise). */
  public record Judged(Answer answer, FactNeeds facts) {
    static final Judged YES = new Judged(Answer.YES, FactNeeds.NONE);
    static final Judged NO = new Judged(Answer.NO, FactNeeds.NONE);

    /** The facts as conditions name them: {@code oncall(P1)}, {@code ticket}, {@code fact(x)}. */
    public List<String> factNames() {
      List<String> out = new ArrayList<>();
      facts.schedules().stream().sorted().forEach(s -> out.add("oncall(" + s + ")"));
      if (facts.ticket()) {
        out.add("ticket");
      }
      facts.facts().forEach(c -> out.add(c.toString()));
      return out;
    }
  }

  /**
   * How one person stands with one stage: its approvers rule, and its escalation's when it has one.
   */
  public record StageJudged(Stage stage, Judged approves, Optional<Judged> onEscalation) {}

  private final Instant now;

  public Eligibility(Instant now) {
    this.now = now;
  }

  /** Whether {@code p} is among {@code profile}'s requesters. */
  public Judged mayRequest(Principal p, Profile profile) {
    return judge(profile.requesters(), p, profile);
  }

  /** Whether {@code p} approves others' requests of {@code profile}, stage by stage. */
  public List<StageJudged> mayApprove(Principal p, Profile profile) {
    List<StageJudged> out = new ArrayList<>();
    for (Stage stage : profile.approval().stages()) {
      out.add(
          new StageJudged(
              stage,
              judge(stage.approvers(), p, profile),
              stage.escalation().map(e -> judge(e.to(), p, profile))));
    }
    return out;
  }

  private Judged judge(Condition rule, Principal p, Profile profile) {
    Map<String, Object> vars =
        ConditionVariables.ofRequest(
            p,
            profile.name(),
            new RequestFacts(profile.maxDuration(), Optional.empty(), Optional.empty(), false),
            now);
    return switch (rule.ahead(vars)) {
      case TRUE -> Judged.YES;
      case FALSE -> Judged.NO;
      case DEPENDS -> new Judged(Answer.CONDITIONAL, rule.needs());
    };
  }
}
