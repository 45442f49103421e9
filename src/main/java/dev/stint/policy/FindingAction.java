package dev.stint.policy;

import java.util.Locale;

/** What a live finding does: tell people, or end the lease or grant whose key made the call. */
public enum FindingAction {
  NOTIFY,
  END;

  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }
}
