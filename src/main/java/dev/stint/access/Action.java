package dev.stint.access;

import java.util.Locale;

/** What a person decides on a request: approve, deny, cancel, revoke or review. */
public enum Action {
  APPROVE,
  DENY,
  CANCEL,
  REVOKE,
  REVIEW;

  /** The action as the audit records it and the wire names it. */
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }
}
