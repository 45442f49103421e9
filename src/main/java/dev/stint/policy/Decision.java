package dev.stint.policy;

import dev.stint.error.StintException;

/**
 * The answer to one policy question, with a reason fit to show the caller and to audit. A use case
 * that acts on a "no" raises it through {@link #orRefuse} (or {@link #refusal}, into a failed
 * future): the one mapping of a may-rule's answer to the caller's {@code forbidden}, so that no
 * refusal of a rule is written anywhere else.
 */
public record Decision(boolean allowed, String reason) {
  public static Decision allow(String reason) {
    return new Decision(true, reason);
  }

  public static Decision deny(String reason) {
    return new Decision(false, reason);
  }

  /**
   * Nothing when allowed; else throws {@link #refusal}.
   *
   * @throws StintException forbidden, with the reason
   */
  public void orRefuse() {
    if (!allowed) {
      throw refusal();
    }
  }

  /** What a "no" answers the caller: {@code forbidden}, with the reason. */
  public StintException refusal() {
    if (allowed) {
      throw new IllegalStateException("an allowed decision refuses nothing: " + reason);
    }
    return StintException.forbidden(reason);
  }
}
