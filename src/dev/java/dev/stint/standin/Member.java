package dev.stint.standin;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One string parameter of an AWS API model: the name its validation messages use, its length bounds
 * and the characters it may hold, as the API reference lists them. A value that breaks them is what
 * STS and IAM answer {@code ValidationError} to, in these words.
 */
final class Member {
  private final String field;
  private final int min;
  private final int max;
  private final String printed;
  private final Pattern pattern;

  /**
   * @param pattern as the reference prints it (null: any characters)
   * @param regex the same in Java's syntax
   */
  Member(String field, int min, int max, String pattern, String regex) {
    this.field = field;
    this.min = min;
    this.max = max;
    this.printed = pattern;
    this.pattern = regex == null ? null : Pattern.compile(regex);
  }

  /** A member whose pattern Java reads as AWS prints it. */
  Member(String field, int min, int max, String pattern) {
    this(field, min, max, pattern, pattern);
  }

  /** What is wrong with a required member (null: it is missing). */
  List<String> required(String value) {
    return value == null ? List.of(notNull(field)) : problems(value);
  }

  /** What is wrong with an optional member (null: nothing, it was not sent). */
  List<String> optional(String value) {
    return value == null ? List.of() : problems(value);
  }

  private List<String> problems(String value) {
    List<String> out = new ArrayList<>();
    if (pattern != null && !pattern.matcher(value).matches()) {
      out.add(at(value, field) + "Member must satisfy regular expression pattern: " + printed);
    }
    if (value.length() < min) {
      out.add(at(value, field) + "Member must have length greater than or equal to " + min);
    }
    if (value.length() > max) {
      out.add(at(value, field) + "Member must have length less than or equal to " + max);
    }
    return out;
  }

  static String notNull(String field) {
    return "Value null at '" + field + "' failed to satisfy constraint: Member must not be null";
  }

  static String at(String value, String field) {
    return "Value '" + value + "' at '" + field + "' failed to satisfy constraint: ";
  }
}
