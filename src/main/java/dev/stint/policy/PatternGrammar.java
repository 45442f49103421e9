package dev.stint.policy;

import dev.stint.common.DocumentTemplate;
import java.util.BitSet;

/**
 * Reads a parameter's pattern by a grammar small enough to know what it admits:
 *
 * <pre>
 *   alternation := sequence ('|' sequence)*
 *   sequence    := (atom quantifier?)*
 *   atom        := literal | '\' punctuation | '[' item+ ']' | '(' alternation ')'
 *                | '(?:' alternation ')'
 *   item        := character | character '-' character
 *   quantifier  := '?' | '{' m '}' | '{' m ',' n '}'      (n at most 256)
 * </pre>
 *
 * <p>A literal is a printable ASCII character that means itself. Everything else Java's regular
 * expressions offer is refused, because it admits more than it seems to: {@code .} and the
 * shorthands ({@code \S}, {@code \W}, {@code \D}, {@code \p{..}}) admit characters from all of
 * Unicode, a negated class everything it does not name, {@code *} and {@code +} values of any
 * length, flags such as {@code (?i)} look-alike letters (the Kelvin sign matches {@code k}), and
 * anchors, look-arounds and back-references nothing a full match needs.
 */
final class PatternGrammar {

  /**
   * What a pattern, or a part of it, admits: its characters, its shortest and longest lengths, a
   * value it matches and a value of its longest length.
   */
  record Shape(BitSet chars, long min, long max, String sample, String longest) {
    static final Shape EMPTY = new Shape(new BitSet(), 0, 0, "", "");

    /** One of {@code chars}; a letter or digit when there is one, so samples read as values. */
    static Shape of(BitSet chars) {
      int pick = chars.nextSetBit(0);
      for (int c = pick; c >= 0; c = chars.nextSetBit(c + 1)) {
        if (Character.isLetterOrDigit(c)) {
          pick = c;
          break;
        }
      }
      String one = String.valueOf((char) pick);
      return new Shape(chars, 1, 1, one, one);
    }

    Shape then(Shape next) {
      return new Shape(
          union(chars, next.chars),
          min + next.min,
          bounded(max + next.max),
          sample + next.sample,
          longest + next.longest);
    }

    Shape or(Shape other) {
      return new Shape(
          union(chars, other.chars),
          Math.min(min, other.min),
          Math.max(max, other.max),
          sample,
          longest.length() >= other.longest.length() ? longest : other.longest);
    }

    Shape repeat(int from, int to) {
      long samples = Math.max(from, Math.min(1, to));
      return new Shape(
          to == 0 ? new BitSet() : chars,
          min * from,
          bounded(max * to),
          sample.repeat((int) samples),
          longest.repeat(to));
    }

    /** Stops here, before a value of a length no parameter takes is ever built. */
    private static long bounded(long length) {
      if (length > DocumentTemplate.MAX_VALUE_CHARS) {
        throw new IllegalArgumentException(
            "admits values longer than "
                + DocumentTemplate.MAX_VALUE_CHARS
                + " characters; bound every repetition with {m,n}");
      }
      return length;
    }

    private static BitSet union(BitSet a, BitSet b) {
      BitSet both = (BitSet) a.clone();
      both.or(b);
      return both;
    }
  }

  private final String source;
  private int at;

  private PatternGrammar(String source) {
    this.source = source;
  }

  /**
   * @throws IllegalArgumentException saying what is refused and where
   */
  static Shape read(String source) {
    PatternGrammar grammar = new PatternGrammar(source);
    Shape shape = grammar.alternation();
    if (grammar.at < source.length()) {
      throw grammar.refused("')' closes no group");
    }
    return shape;
  }

  private Shape alternation() {
    Shape shape = sequence();
    while (peek() == '|') {
      at++;
      shape = shape.or(sequence());
    }
    return shape;
  }

  private Shape sequence() {
    Shape shape = Shape.EMPTY;
    while (at < source.length() && peek() != '|' && peek() != ')') {
      shape = shape.then(quantified(atom()));
    }
    return shape;
  }

  private Shape quantified(Shape atom) {
    Shape shape = atom;
    if (peek() == '?') {
      at++;
      shape = atom.repeat(0, 1);
    } else if (peek() == '{') {
      shape = bounds(atom);
    }
    char next = peek();
    if (next == '*' || next == '+') {
      throw refused("'" + next + "' admits values of any length; use {m,n}");
    }
    if (shape != atom && (next == '?' || next == '{')) {
      throw refused("one quantifier per item (lazy and possessive forms are not needed)");
    }
    return shape;
  }

  private Shape bounds(Shape atom) {
    int close = source.indexOf('}', at);
    String inside = close < 0 ? "" : source.substring(at + 1, close);
    if (!inside.matches("[0-9]{1,3}(,[0-9]{1,3})?")) {
      throw refused("a repetition reads {m} or {m,n}");
    }
    String[] parts = inside.split(",");
    int from = Integer.parseInt(parts[0]);
    int to = parts.length == 1 ? from : Integer.parseInt(parts[1]);
    if (from > to || to > DocumentTemplate.MAX_VALUE_CHARS) {
      throw refused("{" + inside + "}: need m <= n <= " + DocumentTemplate.MAX_VALUE_CHARS);
    }
    at = close + 1;
    return atom.repeat(from, to);
  }

  private Shape atom() {
    char c = source.charAt(at++);
    switch (c) {
      case '(':
        return group();
      case '[':
        return bracket();
      case '\\':
        return Shape.of(only(escaped()));
      case '.':
        throw refused("'.' admits any character; name them in a class such as [a-z0-9.-]");
      case '^', '$':
        throw refused("no anchors: a value always matches the whole pattern");
      case '*', '+', '?', '{':
        throw refused("'" + c + "' repeats nothing");
      default:
        return Shape.of(only(literal(c)));
    }
  }

  private Shape group() {
    if (peek() == '?') {
      if (!source.startsWith("?:", at)) {
        throw refused("of (?...) only (?:...) is allowed: no flags, look-arounds or names");
      }
      at += 2;
    }
    Shape inside = alternation();
    if (peek() != ')') {
      throw refused("'(' is never closed");
    }
    at++;
    return inside;
  }

  private Shape bracket() {
    if (peek() == '^') {
      throw refused("a negated class admits everything it does not name");
    }
    if (peek() == ']') {
      throw refused("an empty class; write \\] for the character");
    }
    BitSet chars = new BitSet();
    while (peek() != ']') {
      if (at >= source.length()) {
        throw refused("'[' is never closed");
      }
      char low = classCharacter();
      boolean range = peek() == '-' && at + 1 < source.length() && source.charAt(at + 1) != ']';
      if (range) {
        at++;
        char high = classCharacter();
        if (high < low) {
          throw refused("the range " + low + "-" + high + " runs backwards");
        }
        chars.set(low, high + 1);
      } else {
        chars.set(low);
      }
    }
    at++;
    return Shape.of(chars);
  }

  private char classCharacter() {
    char c = source.charAt(at++);
    if (c == '\\') {
      return escaped();
    }
    if (c == '[' || (c == '&' && peek() == '&')) {
      throw refused("no nested classes, unions or intersections");
    }
    if (c == '-' && peek() != ']') {
      throw refused("write \\- for '-' inside a class, except as its last character");
    }
    return literal(c);
  }

  private char escaped() {
    if (at >= source.length()) {
      throw refused("a pattern cannot end in \\");
    }
    char c = source.charAt(at++);
    if (c > 0x7e || Character.isLetterOrDigit(c)) {
      throw refused(
          "\\"
              + c
              + " is not allowed: shorthands, \\p{..} and back-references admit more than they"
              + " seem; name the characters in a class such as [a-z0-9]");
    }
    return literal(c);
  }

  private char literal(char c) {
    if (c <= 0x20 || c >= 0x7f) {
      throw refused(
          String.format(
              "U+%04X: a pattern holds printable ASCII only (no space, control character or"
                  + " letter from another script)",
              (int) c));
    }
    return c;
  }

  private static BitSet only(char c) {
    BitSet one = new BitSet();
    one.set(c);
    return one;
  }

  private char peek() {
    return at < source.length() ? source.charAt(at) : '\0';
  }

  private IllegalArgumentException refused(String why) {
    return new IllegalArgumentException("at " + at + ": " + why);
  }
}
