package dev.stint.policy;

import java.time.Duration;

/**
 * A CI job's way to a profile without a person: tokens of {@code issuerName} whose claims satisfy
 * {@code when} may exchange for {@code profile}, for at most {@code maxDuration}. {@code
 * jtiRequired}: the token must carry a {@code jti} (so replays can be refused).
 */
public record CiRule(
    String name,
    String issuerName,
    String profile,
    Condition when,
    Duration maxDuration,
    CiApproval approval,
    boolean jtiRequired) {

  public enum CiApproval {
    NONE,
    REQUIRED
  }
}
