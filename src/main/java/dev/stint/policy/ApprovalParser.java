package dev.stint.policy;

import dev.stint.common.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a profile's {@code approval}: one stage written in place or {@code stages} in order, each
 * with its count, approvers, escalation, reminders and {@code skip_if}, reporting every problem.
 */
final class ApprovalParser {
  private static final int MAX_STAGES = 5;

  /** The keys of one stage, which the one-stage form writes in {@code approval} itself. */
  private static final Set<String> STAGE_RULES =
      Set.of("count", "approvers", "escalate_after", "escalate_to", "remind_after");

  private static final Pattern STAGE_NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,31}");

  private final Conditions cel;
  private final Duration requestTimeout;

  /**
   * @param requestTimeout how long a request may stay pending; escalation must come before
   */
  ApprovalParser(Conditions cel, Duration requestTimeout) {
    this.cel = cel;
    this.requestTimeout = requestTimeout;
  }

  /** A profile's approval: one stage written in place, or {@code stages} in order. */
  Optional<Approval> approval(YamlNode n) {
    Set<String> known = new HashSet<>(STAGE_RULES);
    known.addAll(Set.of("auto_approve", "step_up", "stages"));
    n.allowOnly(known);
    boolean autoOk = !n.has("auto_approve") || n.string("auto_approve").isPresent();
    Optional<Condition> auto = autoOk ? n.condition("auto_approve", cel) : Optional.empty();
    Optional<List<Stage>> stages =
        n.has("stages") ? stages(n) : stage(n, Stage.SINGLE, Optional.empty()).map(List::of);
    if (stages.isEmpty() || (n.has("auto_approve") && auto.isEmpty())) {
      return Optional.empty();
    }
    return Optional.of(new Approval(stages.get(), auto, n.bool("step_up").orElse(false)));
  }

  /** {@code stages}: one to {@link #MAX_STAGES} stages with distinct names, decided in order. */
  private Optional<List<Stage>> stages(YamlNode n) {
    boolean mixed = false;
    for (String key : STAGE_RULES) {
      if (n.has(key)) {
        n.problem(key, "belongs in each stage when the approval has stages");
        mixed = true;
      }
    }
    Optional<List<YamlNode>> items = n.mappings("stages");
    if (items.isEmpty() || mixed) {
      return Optional.empty();
    }
    if (items.get().isEmpty() || items.get().size() > MAX_STAGES) {
      n.problem("stages", "must list 1 to " + MAX_STAGES + " stages");
      return Optional.empty();
    }
    List<Stage> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    boolean ok = true;
    for (YamlNode item : items.get()) {
      Set<String> keys = new HashSet<>(STAGE_RULES);
      keys.addAll(Set.of("name", "skip_if"));
      item.allowOnly(keys);
      Optional<String> name = stageName(item, names);
      Optional<Optional<Condition>> skipIf = skipIf(item);
      Optional<Stage> stage =
          name.isPresent() && skipIf.isPresent()
              ? stage(item, name.get(), skipIf.get())
              : Optional.empty();
      stage.ifPresent(out::add);
      ok &= stage.isPresent();
    }
    return ok ? Optional.of(out) : Optional.empty();
  }

  private static Optional<String> stageName(YamlNode n, Set<String> taken) {
    Optional<String> name = n.requiredString("name");
    if (name.isEmpty()) {
      return Optional.empty();
    }
    if (!STAGE_NAME.matcher(name.get()).matches()) {
      n.problem("name", "must be lower-case letters, digits, '-' or '_' (at most 32)");
      return Optional.empty();
    }
    if (name.get().equals(Stage.SINGLE)) {
      n.problem("name", "'" + Stage.SINGLE + "' names the one stage of the form without stages");
      return Optional.empty();
    }
    if (!taken.add(name.get())) {
      n.problem("name", "another stage of this approval is named '" + name.get() + "'");
      return Optional.empty();
    }
    return name;
  }

  private Optional<Optional<Condition>> skipIf(YamlNode n) {
    if (!n.has("skip_if")) {
      return Optional.of(Optional.empty());
    }
    return n.condition("skip_if", cel).map(Optional::of);
  }

  /** One stage's rules: its count, approvers, escalation and reminders. */
  private Optional<Stage> stage(YamlNode n, String name, Optional<Condition> skipIf) {
    Optional<Integer> count = n.has("count") ? n.integer("count") : n.missing("count");
    if (count.isPresent() && (count.get() < 1 || count.get() > 10)) {
      n.problem(
          "count", "must be between 1 and 10 (use auto_approve for requests nobody approves)");
      count = Optional.empty();
    }
    Optional<Condition> approvers = n.requiredCondition("approvers", cel);
    Optional<Optional<Escalation>> escalation = escalation(n);
    Optional<Duration> remind =
        n.has("remind_after") ? n.duration("remind_after") : Optional.empty();
    if (count.isEmpty()
        || approvers.isEmpty()
        || escalation.isEmpty()
        || (n.has("remind_after") && remind.isEmpty())) {
      return Optional.empty();
    }
    return Optional.of(
        new Stage(name, count.get(), approvers.get(), skipIf, escalation.get(), remind));
  }

  /**
   * {@code escalate_after} and {@code escalate_to}, both or neither. The wait must end before the
   * request timeout, or the request would time out before anyone else could decide it.
   */
  private Optional<Optional<Escalation>> escalation(YamlNode n) {
    boolean after = n.has("escalate_after");
    boolean to = n.has("escalate_to");
    if (!after && !to) {
      return Optional.of(Optional.empty());
    }
    if (after != to) {
      n.problem(
          after ? "escalate_to" : "escalate_after",
          "is required with "
              + (after ? "escalate_after" : "escalate_to")
              + " (set both or neither)");
      return Optional.empty();
    }
    Optional<Duration> wait = n.duration("escalate_after");
    if (wait.isPresent() && wait.get().compareTo(requestTimeout) >= 0) {
      n.problem(
          "escalate_after",
          "must be shorter than the request timeout ("
              + Durations.format(requestTimeout)
              + "), or requests time out before they escalate");
      wait = Optional.empty();
    }
    Optional<Condition> rule = n.requiredCondition("escalate_to", cel);
    if (wait.isEmpty() || rule.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(Optional.of(new Escalation(wait.get(), rule.get())));
  }
}
