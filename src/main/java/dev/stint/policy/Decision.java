package dev.stint.policy;

/** The answer to one policy question, with a reason fit to show the caller and to audit. */
public record Decision(boolean allowed, String reason) {
  public static Decision allow(String reason) {
    return new Decision(true, reason);
  }

  public static Decision deny(String reason) {
    return new Decision(false, reason);
  }
}
