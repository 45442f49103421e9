package dev.stint.finding;

import dev.stint.common.Timestamps;
import dev.stint.finding.rules.BurstKind;
import dev.stint.finding.rules.Judged;
import dev.stint.finding.rules.Observed;
import dev.stint.policy.FindingMode;
import dev.stint.policy.FindingRule;
import dev.stint.policy.RuleInForce;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * The windows a batch's bursts are judged over: for each call a burst counts (its rule not off on
 * the call's profile), its scope, the kind, the window before the call and the rule's threshold, as
 * {@link BaselineStore#BURSTS} reads them. A batch then reads at most a threshold of stored calls
 * for each of its own, whatever one scope's flood holds. Pure.
 */
record BurstWindows(List<Window> windows) {
  /** The stored calls of {@code kind} by {@code scope} after {@code after}, up to {@code upto}. */
  record Window(String scope, BurstKind kind, Instant after, Instant upto, int threshold) {}

  static BurstWindows of(List<Judged> batch, BiFunction<FindingRule, String, RuleInForce> inForce) {
    Set<Window> out = new LinkedHashSet<>();
    for (Judged j : batch) {
      Observed c = j.call();
      for (BurstKind kind : BurstKind.values()) {
        RuleInForce rule = inForce.apply(kind.rule(), j.origin().profile());
        if (kind.counts(c) && rule.mode() != FindingMode.OFF) {
          Duration window = rule.limits().window();
          out.add(
              new Window(
                  j.origin().scope(),
                  kind,
                  c.time().minus(window),
                  c.time(),
                  rule.limits().threshold()));
        }
      }
    }
    return new BurstWindows(List.copyOf(out));
  }

  /** The windows as the query's arrays: scopes, kinds, afters, uptos, thresholds. */
  Tuple tuple() {
    return Tuple.tuple()
        .addArrayOfString(windows.stream().map(Window::scope).toArray(String[]::new))
        .addArrayOfString(windows.stream().map(w -> w.kind().code()).toArray(String[]::new))
        .addArrayOfOffsetDateTime(
            windows.stream().map(w -> Timestamps.utc(w.after())).toArray(OffsetDateTime[]::new))
        .addArrayOfOffsetDateTime(
            windows.stream().map(w -> Timestamps.utc(w.upto())).toArray(OffsetDateTime[]::new))
        .addArrayOfInteger(windows.stream().map(Window::threshold).toArray(Integer[]::new));
  }
}
