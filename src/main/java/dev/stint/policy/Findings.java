package dev.stint.policy;

import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A policy's {@code findings:} block, at the top level or on a profile (docs/findings.md): a mode
 * for every rule, and each rule's own mode, severity, action and tunings. What applies to a rule on
 * a profile is asked of {@link #inForce}: the profile's block first, then the top level's, then the
 * defaults ({@code mode: live}, {@code action: notify}, the rule's own severity and tunings).
 */
public record Findings(Optional<FindingMode> mode, Map<FindingRule, RuleSetting> rules) {
  /** No block: everything as the defaults say. */
  public static final Findings NONE = new Findings(Optional.empty(), Map.of());

  /** One rule's settings as written; each absent one falls through to the next block. */
  public record RuleSetting(
      Optional<FindingMode> mode,
      Optional<FindingSeverity> severity,
      Optional<FindingAction> action,
      Optional<Integer> threshold,
      Optional<Duration> window,
      Optional<Integer> factor) {
    static final RuleSetting NONE =
        new RuleSetting(
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty());
  }

  public Findings {
    EnumMap<FindingRule, RuleSetting> copy = new EnumMap<>(FindingRule.class);
    copy.putAll(rules);
    rules = Collections.unmodifiableMap(copy);
  }

  /**
   * What {@code rule} does on a profile whose own block is {@code profile} ({@link #NONE} when it
   * has none), this being the top level's. Each field is the first of: the profile's rule, the
   * profile's mode (for the mode), the top level's rule, the top level's mode, the default.
   */
  public RuleInForce inForce(FindingRule rule, Findings profile) {
    RuleSetting own = profile.rules.getOrDefault(rule, RuleSetting.NONE);
    RuleSetting top = rules.getOrDefault(rule, RuleSetting.NONE);
    FindingMode m =
        own.mode().or(profile::mode).or(top::mode).or(this::mode).orElse(FindingMode.LIVE);
    RuleInForce.Limits defaults = RuleInForce.Limits.of(rule);
    return new RuleInForce(
        rule,
        m,
        first(own, top, RuleSetting::severity).orElse(rule.defaultSeverity()),
        first(own, top, RuleSetting::action).orElse(FindingAction.NOTIFY),
        new RuleInForce.Limits(
            first(own, top, RuleSetting::threshold).orElse(defaults.threshold()),
            first(own, top, RuleSetting::window).orElse(defaults.window()),
            first(own, top, RuleSetting::factor).orElse(defaults.factor())));
  }

  private static <T> Optional<T> first(
      RuleSetting own, RuleSetting top, Function<RuleSetting, Optional<T>> field) {
    return field.apply(own).or(() -> field.apply(top));
  }
}
