package dev.stint.policy;

import java.time.Duration;
import java.util.Optional;

/**
 * How many distinct approvers a request needs ({@code count} is at least 1), who may approve, when
 * a request is approved without anyone ({@code autoApprove}), whether approvals are made on the web
 * page only ({@code stepUp}: chat messages link there instead of deciding), who else may decide
 * once a request has waited ({@code escalation}), and how often approvers are reminded of a request
 * still pending ({@code remindAfter}).
 */
public record Approval(
    int count,
    Condition approvers,
    Optional<Condition> autoApprove,
    boolean stepUp,
    Optional<Escalation> escalation,
    Optional<Duration> remindAfter) {

  /** An approval that never escalates or reminds. */
  public Approval(int count, Condition approvers, Optional<Condition> autoApprove, boolean stepUp) {
    this(count, approvers, autoApprove, stepUp, Optional.empty(), Optional.empty());
  }
}
