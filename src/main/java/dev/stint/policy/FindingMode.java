package dev.stint.policy;

import java.util.Locale;

/** {@code off}: nothing raised; {@code dry_run}: recorded only; {@code live}: acted on. */
public enum FindingMode {
  OFF,
  DRY_RUN,
  LIVE;

  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }
}
