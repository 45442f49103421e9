package dev.stint.directory;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A SCIM filter (RFC 7644, section 3.4.2.2) as far as stint answers it: comparisons {@code eq},
 * {@code ne}, {@code co}, {@code sw}, {@code ew} and {@code pr} on a resource type's searchable
 * attributes, joined by {@code and} (which binds tighter) and {@code or}, with parentheses. Pure:
 * parsing touches nothing, and anything else is refused as {@code invalidFilter} with the reason,
 * never read as a broader filter than was sent.
 */
public final class ScimFilter {
  /** Longer filters than any provider sends are refused before they are read. */
  static final int MAX_LENGTH = 2_048;

  /** At most this many comparisons, so one query cannot grow without bound. */
  static final int MAX_COMPARISONS = 16;

  static final Set<String> OPERATORS = Set.of("eq", "ne", "co", "sw", "ew", "pr");

  /** A parsed filter. */
  public sealed interface Node permits Compare, And, Or {}

  /**
   * {@code attribute op value}: the attribute as the resource type names it canonically, the
   * operator in lower case, the value a String or Boolean ({@code null} for {@code pr}).
   */
  public record Compare(String attribute, String op, Object value) implements Node {}

  public record And(Node left, Node right) implements Node {}

  public record Or(Node left, Node right) implements Node {}

  private final List<String> tokens;
  private final Map<String, String> attributes;
  private int at;
  private int comparisons;

  private ScimFilter(List<String> tokens, Map<String, String> attributes) {
    this.tokens = tokens;
    this.attributes = attributes;
  }

  /**
   * Parses {@code text} against {@code attributes}: each searchable attribute by its name in lower
   * case (as the provider may spell it in any case, with or without its schema's URN) to its
   * canonical name.
   */
  public static Node parse(String text, Map<String, String> attributes) {
    if (text.length() > MAX_LENGTH) {
      throw ScimException.invalidFilter("the filter is longer than " + MAX_LENGTH + " characters");
    }
    ScimFilter parser = new ScimFilter(ScimTokens.of(text), attributes);
    Node node = parser.or();
    if (parser.at < parser.tokens.size()) {
      throw ScimException.invalidFilter(
          "unexpected '" + parser.tokens.get(parser.at) + "' in the filter");
    }
    return node;
  }

  private Node or() {
    Node left = and();
    while (nextIs("or")) {
      at++;
      left = new Or(left, and());
    }
    return left;
  }

  private Node and() {
    Node left = term();
    while (nextIs("and")) {
      at++;
      left = new And(left, term());
    }
    return left;
  }

  private Node term() {
    String token = take("an attribute or '('");
    if (token.equals("(")) {
      Node inner = or();
      if (!")".equals(take("')'"))) {
        throw ScimException.invalidFilter("a '(' in the filter is not closed");
      }
      return inner;
    }
    if (token.equalsIgnoreCase("not")) {
      throw ScimException.invalidFilter("'not' is not supported in filters");
    }
    if (++comparisons > MAX_COMPARISONS) {
      throw ScimException.invalidFilter("at most " + MAX_COMPARISONS + " comparisons per filter");
    }
    String attribute = attribute(token);
    String op = take("an operator").toLowerCase(Locale.ROOT);
    if (!OPERATORS.contains(op)) {
      throw ScimException.invalidFilter(
          "operator '" + op + "' is not supported; use one of eq, ne, co, sw, ew, pr");
    }
    return new Compare(attribute, op, op.equals("pr") ? null : value(take("a value")));
  }

  private String attribute(String token) {
    if (token.startsWith("\"") || token.equals(")")) {
      throw ScimException.invalidFilter("expected an attribute name, found '" + token + "'");
    }
    String name = ScimPaths.withoutSchema(token).toLowerCase(Locale.ROOT);
    String canonical = attributes.get(name);
    if (canonical == null) {
      throw ScimException.invalidFilter(
          "cannot filter on '"
              + token
              + "'; searchable: "
              + String.join(", ", attributes.values()));
    }
    return canonical;
  }

  private static Object value(String token) {
    if (token.startsWith("\"")) {
      try {
        return Json.decodeValue(token, String.class);
      } catch (DecodeException | ClassCastException e) {
        throw ScimException.invalidFilter("a string value in the filter is not valid JSON");
      }
    }
    return switch (token.toLowerCase(Locale.ROOT)) {
      case "true" -> Boolean.TRUE;
      case "false" -> Boolean.FALSE;
      default ->
          throw ScimException.invalidFilter(
              "values are quoted strings, true or false; found '" + token + "'");
    };
  }

  private boolean nextIs(String word) {
    return at < tokens.size() && tokens.get(at).equalsIgnoreCase(word);
  }

  private String take(String expected) {
    if (at >= tokens.size()) {
      throw ScimException.invalidFilter("the filter ends where " + expected + " was expected");
    }
    return tokens.get(at++);
  }
}
