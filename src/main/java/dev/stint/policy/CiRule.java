package dev.stint.policy;

import dev.stint.common.ParameterValues;
import java.time.Duration;
import java.util.Objects;

/**
 * A CI job's way to a profile without a person: tokens of {@code issuerName} whose claims satisfy
 * {@code when} may exchange for {@code profile}, for at most {@code maxDuration}. {@code
 * jtiRequired}: the token must carry a {@code jti} (so replays can be refused). On a narrowed
 * profile, {@code parameters} are the values the rule fixes: a job's credentials are narrowed to
 * them, and to nothing it asks for itself.
 */
public record CiRule(
    String name,
    String issuerName,
    String profile,
    Condition when,
    Duration maxDuration,
    CiApproval approval,
    boolean jtiRequired,
    ParameterValues parameters) {

  public CiRule {
    Objects.requireNonNull(parameters, "parameters");
  }

  /** A rule on a profile without parameters. */
  public CiRule(
      String name,
      String issuerName,
      String profile,
      Condition when,
      Duration maxDuration,
      CiApproval approval,
      boolean jtiRequired) {
    this(name, issuerName, profile, when, maxDuration, approval, jtiRequired, ParameterValues.NONE);
  }

  public enum CiApproval {
    NONE,
    REQUIRED
  }
}
