package dev.stint.directory;

import java.util.ArrayList;
import java.util.List;

/**
 * The words of a SCIM filter (RFC 7644, section 3.4.2.2), as {@link ScimFilter} parses a query's
 * and {@link ScimPaths} a PATCH path's bracket: words, parentheses and JSON strings, each string
 * kept quoted so that a value never reads as a keyword.
 */
final class ScimTokens {
  private ScimTokens() {}

  /** Words, parentheses and JSON strings (kept quoted, so a value never reads as a keyword). */
  static List<String> of(String text) {
    List<String> out = new ArrayList<>();
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '(' || c == ')') {
        out.add(String.valueOf(c));
        i++;
      } else if (c == '"') {
        int end = closingQuote(text, i);
        out.add(text.substring(i, end + 1));
        i = end + 1;
      } else if (c == '[' || c == ']') {
        throw ScimException.invalidFilter("filters inside brackets are not supported");
      } else {
        int start = i;
        while (i < text.length() && !ends(text.charAt(i))) {
          i++;
        }
        out.add(text.substring(start, i));
      }
    }
    if (out.isEmpty()) {
      throw ScimException.invalidFilter("the filter is empty");
    }
    return out;
  }

  private static boolean ends(char c) {
    return Character.isWhitespace(c) || "()\"[]".indexOf(c) >= 0;
  }

  private static int closingQuote(String text, int open) {
    for (int i = open + 1; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == '"') {
        return i;
      }
    }
    throw ScimException.invalidFilter("a string in the filter is not closed");
  }
}
