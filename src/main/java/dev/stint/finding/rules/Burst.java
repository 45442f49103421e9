package dev.stint.finding.rules;

import dev.stint.policy.FindingRule;
import dev.stint.policy.RuleInForce;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Many calls of one {@link BurstKind} by one lease's credentials, or one grant's own, within a
 * window: {@code secrets_burst} and {@code denied_burst}. It fires on the call that brings the
 * window's count to the threshold, once: the calls after it in the same run do not fire it again
 * until the window empties below the threshold.
 */
public final class Burst implements Detector {
  /** The most calls a finding lists; its sentence gives the count. */
  static final int LISTED = 50;

  public static final Burst SECRETS = new Burst(BurstKind.SECRET);
  public static final Burst DENIED = new Burst(BurstKind.DENIED);

  private final FindingRule rule;
  private final BurstKind kind;

  private Burst(BurstKind kind) {
    this.rule = kind.rule();
    this.kind = kind;
  }

  @Override
  public FindingRule rule() {
    return rule;
  }

  @Override
  public Optional<Hit> check(Judged judged, History history, RuleInForce.Limits limits) {
    Observed c = judged.call();
    if (!kind.counts(c)) {
      return Optional.empty();
    }
    List<EventRef> window =
        new ArrayList<>(
            history
                .bursts()
                .between(judged.origin().scope(), kind, c.time().minus(limits.window()), c.time()));
    window.add(c.ref());
    if (window.size() != limits.threshold()) {
      return Optional.empty();
    }
    List<String> names =
        window.stream().map(e -> CloudTrailActions.action(e.eventSource(), e.eventName())).toList();
    String whose =
        judged
            .origin()
            .leaseId()
            .map(l -> "lease " + l)
            .orElse("grant " + judged.origin().grantId());
    List<EventRef> listed = window.subList(Math.max(0, window.size() - LISTED), window.size());
    return Optional.of(
        new Hit(
            rule,
            listed,
            rule.id()
                + ": "
                + window.size()
                + (kind == BurstKind.SECRET ? " secret reads" : " refused calls")
                + " by the credentials of "
                + whose
                + " within "
                + Sentences.duration(limits.window())
                + " ("
                + Sentences.some(new TreeSet<>(names))
                + "), the last "
                + Sentences.call(c)
                + "; the rule's threshold is "
                + limits.threshold()
                + " within "
                + Sentences.duration(limits.window())
                + "."));
  }
}
