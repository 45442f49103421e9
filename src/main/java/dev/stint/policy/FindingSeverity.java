package dev.stint.policy;

import java.util.Locale;

/** How much a finding matters, least first. */
public enum FindingSeverity {
  LOW,
  MEDIUM,
  HIGH;

  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }
}
