package dev.stint.finding.rules;

import dev.stint.policy.FindingRule;
import dev.stint.policy.RuleInForce;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A service ({@code new_service}) or a region ({@code new_region}) no grant of the profile used in
 * the {@link History#NOVELTY} before the call. Judged only once the profile has history: its first
 * call is {@link History#LEARNING} or more before this one, so a new profile's first calls never
 * fire it.
 */
public final class ProfileNovelty implements Detector {
  public static final ProfileNovelty SERVICE = new ProfileNovelty(FindingRule.NEW_SERVICE);
  public static final ProfileNovelty REGION = new ProfileNovelty(FindingRule.NEW_REGION);

  private final FindingRule rule;

  private ProfileNovelty(FindingRule rule) {
    this.rule = rule;
  }

  @Override
  public FindingRule rule() {
    return rule;
  }

  @Override
  public Optional<Hit> check(Judged judged, History history, RuleInForce.Limits limits) {
    Observed c = judged.call();
    String profile = judged.origin().profile();
    Optional<Instant> since = history.profileSince(profile);
    if (since.isEmpty() || since.get().isAfter(c.time().minus(History.LEARNING))) {
      return Optional.empty();
    }
    boolean services = rule == FindingRule.NEW_SERVICE;
    String key = services ? c.service() : c.region();
    Map<String, Span> seen = services ? history.services(profile) : history.regions(profile);
    Instant cutoff = c.time().minus(History.NOVELTY);
    Span last = seen.get(key);
    if (last != null && !last.last().isBefore(cutoff)) {
      return Optional.empty();
    }
    List<String> recent =
        seen.entrySet().stream()
            .filter(e -> !e.getValue().last().isBefore(cutoff))
            .map(Map.Entry::getKey)
            .toList();
    return Optional.of(
        new Hit(
            rule,
            List.of(c.ref()),
            rule.id()
                + ": "
                + Sentences.call(c)
                + (services ? " calls " : " calls in ")
                + key
                + (services ? ", a service" : ", a region")
                + " no grant of profile "
                + profile
                + " called in the 90 days before; they called "
                + (services ? "" : "in ")
                + Sentences.some(recent)
                + " since "
                + since.get()
                + "."));
  }
}
