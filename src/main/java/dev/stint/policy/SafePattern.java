package dev.stint.policy;

import dev.stint.common.DocumentTemplate;
import java.util.BitSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A parameter's pattern: a Java regular expression a value must match in full, read by {@link
 * PatternGrammar}, whose reading also gives the characters the pattern admits, the longest value
 * and a sample value. So what a pattern lets into a policy is known when the policy loads: never a
 * character outside printable ASCII, never a quote, backslash, brace, {@code $} or space, never the
 * empty value or one longer than {@link DocumentTemplate#MAX_VALUE_CHARS}; IAM's wildcards and
 * ARN's separators only when the parameter says so ({@link Admits}).
 *
 * @param sample a value the pattern matches, to fill the template with when the policy is checked
 * @param longest a value of the greatest length the pattern admits, for the size check
 */
public record SafePattern(
    String source, Pattern regex, int maxLength, String sample, String longest) {

  /** What a parameter may say its pattern lets through, besides the characters always allowed. */
  public enum Admits {
    /** {@code *} and {@code ?}: IAM reads them as wildcards in an action or a resource. */
    WILDCARDS("*?"),
    /** {@code :} and {@code /}: they separate an ARN's parts and a path's segments. */
    ARN_SEPARATORS(":/");

    private final String characters;

    Admits(String characters) {
      this.characters = characters;
    }

    /** The spelling in a policy file: {@code wildcards}, {@code arn_separators}. */
    public String yaml() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Characters no pattern may admit: they would let a value be read as something else. */
  static final String NEVER = "\"'`\\{}$";

  /**
   * @throws IllegalArgumentException saying why the pattern is refused
   */
  static SafePattern parse(String source, Set<Admits> admits) {
    PatternGrammar.Shape shape = PatternGrammar.read(source);
    checkCharacters(shape.chars(), admits);
    if (shape.min() == 0) {
      throw new IllegalArgumentException("admits the empty value; every value must say something");
    }
    Pattern regex = Pattern.compile(source);
    for (String value : new String[] {shape.sample(), shape.longest()}) {
      if (!regex.matcher(value).matches()) {
        throw new IllegalStateException(
            "the derived value '" + value + "' does not match " + source);
      }
    }
    return new SafePattern(source, regex, (int) shape.max(), shape.sample(), shape.longest());
  }

  /** The full match, within the length any value may have. */
  public boolean matches(String value) {
    return value.length() <= DocumentTemplate.MAX_VALUE_CHARS && regex.matcher(value).matches();
  }

  private static void checkCharacters(BitSet chars, Set<Admits> admits) {
    StringBuilder refused = new StringBuilder();
    for (char c : NEVER.toCharArray()) {
      if (chars.get(c)) {
        refused.append(c);
      }
    }
    if (!refused.isEmpty()) {
      throw new IllegalArgumentException(
          "admits " + refused + ", which no value may hold (quotes, backslash, braces, $)");
    }
    for (Admits admit : Admits.values()) {
      if (admits.contains(admit)) {
        continue;
      }
      for (char c : admit.characters.toCharArray()) {
        if (chars.get(c)) {
          throw new IllegalArgumentException(
              "admits '"
                  + c
                  + "'; a pattern admitting "
                  + admit.characters
                  + " must say so with admits: ["
                  + admit.yaml()
                  + "]");
        }
      }
    }
  }
}
