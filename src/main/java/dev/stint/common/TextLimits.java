package dev.stint.common;

/** How much a person may type into one free-text field: a reason or a comment. */
public final class TextLimits {
  /** Characters in a reason or a comment, in the API, the pages and their forms alike. */
  public static final int MAX_TEXT = 1_000;

  private TextLimits() {}
}
