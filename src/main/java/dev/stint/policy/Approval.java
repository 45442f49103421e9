package dev.stint.policy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Who approves a request, in ordered {@code stages} (the one-stage form is a single stage named
 * {@link Stage#SINGLE}); when a request is approved without anyone ({@code autoApprove}); and
 * whether approvals are made on the web page only ({@code stepUp}: chat messages link there instead
 * of deciding).
 */
public record Approval(List<Stage> stages, Optional<Condition> autoApprove, boolean stepUp) {

  public Approval {
    if (stages.isEmpty()) {
      throw new IllegalArgumentException("an approval has at least one stage");
    }
    stages = List.copyOf(stages);
  }

  /** The one-stage form, with its escalation and reminders. */
  public Approval(
      int count,
      Condition approvers,
      Optional<Condition> autoApprove,
      boolean stepUp,
      Optional<Escalation> escalation,
      Optional<Duration> remindAfter) {
    this(
        List.of(
            new Stage(Stage.SINGLE, count, approvers, Optional.empty(), escalation, remindAfter)),
        autoApprove,
        stepUp);
  }

  /** The one-stage form that never escalates or reminds. */
  public Approval(int count, Condition approvers, Optional<Condition> autoApprove, boolean stepUp) {
    this(count, approvers, autoApprove, stepUp, Optional.empty(), Optional.empty());
  }

  /** Approvals every stage together needs when none is skipped. */
  public int count() {
    return stages.stream().mapToInt(Stage::count).sum();
  }

  /** The stage named {@code name}, if the approval still has one. */
  public Optional<Stage> stage(String name) {
    return stages.stream().filter(s -> s.name().equals(name)).findFirst();
  }

  /** The last stage: the one whose approvers decide once a request is no longer pending. */
  public Stage last() {
    return stages.get(stages.size() - 1);
  }

  /** Written in the one-stage form. */
  public boolean single() {
    return stages.size() == 1 && stages.get(0).name().equals(Stage.SINGLE);
  }
}
