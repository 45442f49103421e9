package dev.stint.policy;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The rules that read a credential's calls as they are kept and raise findings (docs/findings.md),
 * by the ids a policy's {@code findings.rules} names them with, each with its default severity and
 * the tunings it takes: the burst rules a {@code threshold} of calls within a {@code window},
 * {@code volume} a {@code factor} over the profile's usual hourly rate and a {@code threshold} the
 * hour must pass as well.
 */
public enum FindingRule {
  ESCAPE("escape", FindingSeverity.HIGH, Tuning.NONE),
  PRIVILEGE_ESCALATION("privilege_escalation", FindingSeverity.HIGH, Tuning.NONE),
  LOGGING_OFF("logging_off", FindingSeverity.HIGH, Tuning.NONE),
  SECRETS_BURST("secrets_burst", FindingSeverity.MEDIUM, Tuning.BURST),
  DENIED_BURST("denied_burst", FindingSeverity.MEDIUM, Tuning.BURST),
  NEW_SERVICE("new_service", FindingSeverity.LOW, Tuning.NONE),
  NEW_REGION("new_region", FindingSeverity.LOW, Tuning.NONE),
  NEW_NETWORK("new_network", FindingSeverity.MEDIUM, Tuning.NONE),
  VOLUME("volume", FindingSeverity.MEDIUM, Tuning.RATE);

  /** Which of {@code threshold}, {@code window} and {@code factor} a rule takes. */
  public enum Tuning {
    NONE,
    BURST,
    RATE
  }

  /** The fewest and the most calls a {@code threshold} may name. */
  public static final int MIN_THRESHOLD = 2;

  public static final int MAX_THRESHOLD = 100_000;

  /** The shortest and the longest {@code window} of a burst. */
  public static final Duration MIN_WINDOW = Duration.ofMinutes(1);

  public static final Duration MAX_WINDOW = Duration.ofHours(1);

  /** The least and the most a {@code factor} may be. */
  public static final int MIN_FACTOR = 2;

  public static final int MAX_FACTOR = 1000;

  private final String id;
  private final FindingSeverity severity;
  private final Tuning tuning;

  FindingRule(String id, FindingSeverity severity, Tuning tuning) {
    this.id = id;
    this.severity = severity;
    this.tuning = tuning;
  }

  /** The rule's id, as policies, findings and the API name it. */
  public String id() {
    return id;
  }

  public FindingSeverity defaultSeverity() {
    return severity;
  }

  public Tuning tuning() {
    return tuning;
  }

  /**
   * How many calls make a burst (within {@link #defaultWindow}), or how many an hour must hold
   * before {@code volume} compares it with the usual rate; zero for a rule that counts nothing.
   */
  public int defaultThreshold() {
    return switch (this) {
      case SECRETS_BURST -> 20;
      case DENIED_BURST -> 10;
      case VOLUME -> 200;
      default -> 0;
    };
  }

  /** The window a burst's calls fall in; zero for a rule that is not a burst. */
  public Duration defaultWindow() {
    return tuning == Tuning.BURST ? Duration.ofMinutes(10) : Duration.ZERO;
  }

  /** How many times its usual hourly rate a profile's hour must reach; zero but for volume. */
  public int defaultFactor() {
    return tuning == Tuning.RATE ? 10 : 0;
  }

  /** The rule whose id is {@code id}. */
  public static Optional<FindingRule> byId(String id) {
    return Arrays.stream(values()).filter(r -> r.id.equals(id)).findFirst();
  }

  /** Every rule's id, in this order. */
  public static List<String> ids() {
    return Arrays.stream(values()).map(FindingRule::id).toList();
  }
}
