package dev.stint.policy;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a {@code findings:} block, the top level's or a profile's: {@code mode} and {@code rules},
 * each rule named by its id ({@link FindingRule}) with {@code mode}, {@code severity}, {@code
 * action} and the tunings it takes. An unknown rule, key or value, or a tuning out of its range, is
 * a problem; the block is then refused whole. Outer Optional empty = a problem was reported.
 */
final class FindingsParser {
  static final String KEY = "findings";
  private static final Set<String> RULE_KEYS =
      Set.of("mode", "severity", "action", "threshold", "window", "factor");

  private FindingsParser() {}

  /** The block under {@code findings} of {@code n}; {@link Findings#NONE} when there is none. */
  static Optional<Findings> parse(YamlNode n) {
    if (!n.has(KEY)) {
      return Optional.of(Findings.NONE);
    }
    Optional<YamlNode> block = n.child(KEY);
    if (block.isEmpty()) {
      return Optional.empty();
    }
    YamlNode b = block.get();
    b.allowOnly(Set.of("mode", "rules"));
    Optional<Optional<FindingMode>> mode = mode(b);
    Map<FindingRule, Findings.RuleSetting> rules = new EnumMap<>(FindingRule.class);
    boolean ok = mode.isPresent();
    for (Map.Entry<String, YamlNode> e : b.mapping("rules").entrySet()) {
      Optional<FindingRule> rule = FindingRule.byId(e.getKey());
      if (rule.isEmpty()) {
        e.getValue()
            .problem(
                null,
                "unknown rule '"
                    + e.getKey()
                    + "' (expected one of "
                    + String.join(", ", FindingRule.ids())
                    + ")");
        ok = false;
        continue;
      }
      Optional<Findings.RuleSetting> setting =
          e.getValue().asMapping().flatMap(r -> setting(rule.get(), r));
      setting.ifPresent(s -> rules.put(rule.get(), s));
      ok &= setting.isPresent();
    }
    return ok ? Optional.of(new Findings(mode.get(), rules)) : Optional.empty();
  }

  private static Optional<Findings.RuleSetting> setting(FindingRule rule, YamlNode n) {
    n.allowOnly(RULE_KEYS);
    Optional<Optional<FindingMode>> mode = mode(n);
    Optional<Optional<FindingSeverity>> severity = optional(n, "severity", FindingSeverity.class);
    Optional<Optional<FindingAction>> action = optional(n, "action", FindingAction.class);
    boolean burst = rule.tuning() == FindingRule.Tuning.BURST;
    boolean rate = rule.tuning() == FindingRule.Tuning.RATE;
    Optional<Optional<Integer>> threshold = count(n, "threshold", burst || rate, rule);
    Optional<Optional<Duration>> window =
        allowed(n, "window", burst, rule)
            ? n.has("window")
                ? n.duration("window").filter(w -> windowWithin(n, w)).map(Optional::of)
                : Optional.of(Optional.empty())
            : Optional.empty();
    Optional<Optional<Integer>> factor = count(n, "factor", rate, rule);
    if (mode.isEmpty()
        || severity.isEmpty()
        || action.isEmpty()
        || threshold.isEmpty()
        || window.isEmpty()
        || factor.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new Findings.RuleSetting(
            mode.get(), severity.get(), action.get(), threshold.get(), window.get(), factor.get()));
  }

  /**
   * {@code mode}: off, dry_run or live. YAML reads an unquoted {@code off} as false, so false is
   * off too.
   */
  private static Optional<Optional<FindingMode>> mode(YamlNode n) {
    Optional<Boolean> read = n.raw("mode").filter(v -> v.isBoolean()).map(v -> v.asBoolean());
    if (read.isPresent() && !read.get()) {
      return Optional.of(Optional.of(FindingMode.OFF));
    }
    if (read.isPresent()) {
      n.problem("mode", "must be one of off, dry_run, live, got true (YAML reads on and yes so)");
      return Optional.empty();
    }
    return optional(n, "mode", FindingMode.class);
  }

  private static <E extends Enum<E>> Optional<Optional<E>> optional(
      YamlNode n, String field, Class<E> type) {
    if (!n.has(field)) {
      return Optional.of(Optional.empty());
    }
    return n.choice(field, type).map(Optional::of);
  }

  /** Whether {@code field} may be given to {@code rule}; a problem when it is and may not. */
  private static boolean allowed(YamlNode n, String field, boolean allowed, FindingRule rule) {
    if (n.has(field) && !allowed) {
      n.problem(field, "does not apply to " + rule.id());
      return false;
    }
    return true;
  }

  /** A {@code threshold} or {@code factor}: absent, or a whole number within its range. */
  private static Optional<Optional<Integer>> count(
      YamlNode n, String field, boolean allowed, FindingRule rule) {
    if (!allowed(n, field, allowed, rule)) {
      return Optional.empty();
    }
    if (!n.has(field)) {
      return Optional.of(Optional.empty());
    }
    return n.integer(field)
        .filter(v -> within(n, field, v, field.equals("threshold")))
        .map(Optional::of);
  }

  private static boolean within(YamlNode n, String field, int value, boolean threshold) {
    int min = threshold ? FindingRule.MIN_THRESHOLD : FindingRule.MIN_FACTOR;
    int max = threshold ? FindingRule.MAX_THRESHOLD : FindingRule.MAX_FACTOR;
    if (value < min || value > max) {
      n.problem(field, "must be from " + min + " to " + max);
      return false;
    }
    return true;
  }

  private static boolean windowWithin(YamlNode n, Duration window) {
    if (window.compareTo(FindingRule.MIN_WINDOW) < 0
        || window.compareTo(FindingRule.MAX_WINDOW) > 0) {
      n.problem("window", "must be from 1m to 1h");
      return false;
    }
    return true;
  }
}
