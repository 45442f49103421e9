package dev.stint.assignment;

import java.util.Locale;

/** Where a grant's account assignment stands, as the request's JSON shows it. */
public enum AssignmentState {
  CREATING,
  CREATED,
  DELETING,
  DELETED,
  FAILED;

  /** The word on the wire and in the table. */
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  static AssignmentState of(String code) {
    return valueOf(code.toUpperCase(Locale.ROOT));
  }
}
