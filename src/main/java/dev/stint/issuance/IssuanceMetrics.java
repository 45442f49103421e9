package dev.stint.issuance;

import dev.stint.error.StintException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * What issuance costs its callers, for {@code /metrics}: {@code stint_issuance_seconds} is one
 * issuance from its policy snapshot to its outcome committed in the audit log (what a caller waits
 * for once its token is verified), and {@code stint_issuance_mint_seconds} the cloud call inside
 * it. Beside {@code stint_audit_wait_seconds} they split an issuance's latency into the cloud's
 * part, the audit's part and the rest, in the server's own clock. Both are histograms, so a
 * dashboard can take {@code histogram_quantile} over any window.
 */
final class IssuanceMetrics {
  private static final Duration SHORTEST = Duration.ofMillis(1);
  private static final Duration LONGEST = Duration.ofSeconds(30);
  private static final String ISSUANCE =
      "One issuance, from its policy snapshot to its outcome" + " committed in the audit log";
  private static final String MINT = "One cloud call that mints a credential";

  private final Map<IssuanceChannel, Map<OutcomeTag, Timer>> issuances =
      new EnumMap<>(IssuanceChannel.class);
  private final Map<String, Timer> minted = new HashMap<>();
  private final Map<String, Timer> mintFailed = new HashMap<>();

  /** Registers every series now (each channel's, each cloud's), so dashboards see them all. */
  IssuanceMetrics(MeterRegistry registry, Set<String> clouds) {
    for (String cloud : clouds) {
      minted.put(cloud, timer("stint.issuance.mint", MINT, "cloud", cloud, "minted", registry));
      mintFailed.put(cloud, timer("stint.issuance.mint", MINT, "cloud", cloud, "failed", registry));
    }
    for (IssuanceChannel channel : IssuanceChannel.values()) {
      Map<OutcomeTag, Timer> byOutcome = new EnumMap<>(OutcomeTag.class);
      for (OutcomeTag outcome : OutcomeTag.values()) {
        byOutcome.put(
            outcome,
            timer(
                "stint.issuance",
                ISSUANCE,
                "channel",
                channel.name().toLowerCase(Locale.ROOT),
                outcome.tag(),
                registry));
      }
      issuances.put(channel, byOutcome);
    }
  }

  /** How an issuance ended, as the {@code outcome} tag says it. */
  enum OutcomeTag {
    /** A credential left the server. */
    ISSUED,
    /** A CI rule that needs approval opened (or found) a request instead. */
    PENDING,
    /** Refused: the caller was not allowed, or asked for something it cannot have. */
    REFUSED,
    /** stint, its database or a cloud could not answer: the caller may try again. */
    FAILED;

    static OutcomeTag of(Throwable why) {
      if (why instanceof StintException e) {
        return switch (e.code()) {
          case UPSTREAM_UNAVAILABLE, AUDIT_UNAVAILABLE, UNAVAILABLE, INTERNAL -> FAILED;
          default -> REFUSED;
        };
      }
      return FAILED;
    }

    String tag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  void issuance(IssuanceChannel channel, OutcomeTag outcome, long startedNanos) {
    issuances
        .get(channel)
        .get(outcome)
        .record(System.nanoTime() - startedNanos, TimeUnit.NANOSECONDS);
  }

  /** Only for a cloud the issuance has a minter for (it never calls any other). */
  void mint(String cloud, boolean succeeded, long startedNanos) {
    (succeeded ? minted : mintFailed)
        .get(cloud)
        .record(System.nanoTime() - startedNanos, TimeUnit.NANOSECONDS);
  }

  private static Timer timer(
      String name,
      String description,
      String key,
      String value,
      String outcome,
      MeterRegistry registry) {
    return Timer.builder(name)
        .description(description)
        .tag(key, value)
        .tag("outcome", outcome)
        .publishPercentileHistogram()
        .minimumExpectedValue(SHORTEST)
        .maximumExpectedValue(LONGEST)
        .register(registry);
  }
}
