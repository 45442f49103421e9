package dev.stint.finding.rules;

import dev.stint.policy.FindingRule;
import dev.stint.policy.RuleInForce;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * An hour in which a profile's grants made far more calls than usual: more than {@code factor}
 * times its usual hourly rate ({@link History#usualRate}) and more than {@code threshold}. It fires
 * on the call that crosses the line, once per hour. Judged only once the profile has history (its
 * first call {@link History#LEARNING} or more before) and a usual rate to compare with.
 */
public final class Volume implements Detector {
  @Override
  public FindingRule rule() {
    return FindingRule.VOLUME;
  }

  @Override
  public Optional<Hit> check(Judged judged, History history, RuleInForce.Limits limits) {
    Observed c = judged.call();
    String profile = judged.origin().profile();
    Optional<Instant> since = history.profileSince(profile);
    Instant hour = History.hourOf(c.time());
    Optional<Double> usual = history.usualRate(profile, hour);
    if (since.isEmpty()
        || since.get().isAfter(c.time().minus(History.LEARNING))
        || usual.isEmpty()) {
      return Optional.empty();
    }
    double line = Math.max(limits.threshold(), limits.factor() * usual.get());
    long before = history.calls(profile, hour);
    if (before > line || before + 1 <= line) {
      return Optional.empty();
    }
    return Optional.of(
        new Hit(
            rule(),
            List.of(c.ref()),
            String.format(
                "volume: %s is the call %d of profile %s's grants in the hour from %s, more than"
                    + " %d times its usual %.1f an hour (its busy hours in the 14 days before) and"
                    + " more than the threshold %d.",
                Sentences.call(c),
                before + 1,
                profile,
                hour,
                limits.factor(),
                usual.get(),
                limits.threshold())));
  }
}
