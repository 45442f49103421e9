package dev.stint.finding.rules;

import dev.stint.policy.FindingMode;
import dev.stint.policy.FindingRule;
import dev.stint.policy.RuleInForce;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;

/**
 * Judges a batch of kept calls: in the order they were made (then by event id), every rule not
 * {@code off} on the call's profile is asked about each call against the history before it, then
 * the call joins the history. Pure: the same batch, history and rules in force raise the same.
 */
public final class Evaluation {
  /** Every rule, in the order a call is judged by them. */
  public static final List<Detector> DETECTORS =
      List.of(
          ListedActions.ESCAPE,
          new PrivilegeEscalation(),
          ListedActions.LOGGING_OFF,
          Burst.SECRETS,
          Burst.DENIED,
          ProfileNovelty.SERVICE,
          ProfileNovelty.REGION,
          new NewNetwork(),
          new Volume());

  /** A rule that fired on a call, with what was in force for it when it was judged. */
  public record Raised(Judged judged, RuleInForce inForce, Hit hit) {
    public Raised {
      Objects.requireNonNull(judged, "judged");
      Objects.requireNonNull(inForce, "inForce");
      Objects.requireNonNull(hit, "hit");
    }
  }

  private Evaluation() {}

  /**
   * What {@code batch} raises against {@code history} (which it leaves holding the batch), each
   * rule as {@code inForce} says it is on a profile.
   */
  public static List<Raised> run(
      List<Judged> batch, History history, BiFunction<FindingRule, String, RuleInForce> inForce) {
    List<Judged> ordered = new ArrayList<>(batch);
    ordered.sort(
        Comparator.comparing((Judged j) -> j.call().time()).thenComparing(j -> j.call().eventId()));
    List<Raised> raised = new ArrayList<>();
    for (Judged j : ordered) {
      for (Detector d : DETECTORS) {
        RuleInForce rule = inForce.apply(d.rule(), j.origin().profile());
        if (rule.mode() == FindingMode.OFF) {
          continue;
        }
        d.check(j, history, rule.limits()).ifPresent(hit -> raised.add(new Raised(j, rule, hit)));
      }
      history.observe(j);
    }
    return raised;
  }
}
