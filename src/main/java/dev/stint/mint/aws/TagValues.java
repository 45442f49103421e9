package dev.stint.mint.aws;

/**
 * Makes a session tag value valid: at most 256 characters from letters, digits, spaces and {@code
 * _.:/=+-@}. Grant ids and profile names normally pass unchanged.
 */
final class TagValues {
  static final int MAX = 256;

  private TagValues() {}

  static String of(String value) {
    StringBuilder b = new StringBuilder();
    value
        .codePoints()
        .limit(MAX)
        .forEach(
            c ->
                b.appendCodePoint(
                    Character.isLetterOrDigit(c) || c == ' ' || "_.:/=+-@".indexOf(c) >= 0
                        ? c
                        : '_'));
    return b.toString();
  }
}
