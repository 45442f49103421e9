package dev.stint.directory;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Attribute paths of PATCH operations (RFC 7644, section 3.5.2): {@code attr}, {@code attr.sub},
 * {@code attr[sub eq "x"]}, {@code attr[sub eq "x"].sub}, each optionally after its schema's URN.
 * The filter in brackets is equality only, joined by {@code and}: what Okta and Entra ID send
 * ({@code members[value eq "ID"]}, {@code emails[type eq "work"].value}).
 */
final class ScimPaths {
  private ScimPaths() {}

  /** One {@code sub eq value} of a bracket filter; the value a String or Boolean. */
  record Match(String attribute, Object value) {}

  /**
   * A parsed path: {@code schema} is an extension's URN (empty for the resource's core schema),
   * {@code attribute} the top-level attribute, then the bracket filter and sub-attribute if any.
   */
  record Path(Optional<String> schema, String attribute, List<Match> filter, Optional<String> sub) {
    Path {
      filter = List.copyOf(filter);
    }

    boolean is(String name) {
      return schema.isEmpty() && attribute.equalsIgnoreCase(name);
    }
  }

  /** The attribute part of {@code token} without a leading schema URN. */
  static String withoutSchema(String token) {
    if (!token.regionMatches(true, 0, "urn:", 0, 4)) {
      return token;
    }
    int bracket = token.indexOf('[');
    return token.substring(token.lastIndexOf(':', bracket < 0 ? token.length() : bracket) + 1);
  }

  static Path parse(String text, String coreSchema) {
    String t = text.strip();
    Optional<String> schema = Optional.empty();
    if (t.regionMatches(true, 0, "urn:", 0, 4)) {
      int bracket = t.indexOf('[');
      int colon = t.lastIndexOf(':', bracket < 0 ? t.length() : bracket);
      String urn = t.substring(0, colon);
      schema = urn.equalsIgnoreCase(coreSchema) ? Optional.empty() : Optional.of(urn);
      t = t.substring(colon + 1);
    }
    int bracket = t.indexOf('[');
    int dot = t.indexOf('.');
    int end = bracket >= 0 ? bracket : dot >= 0 ? dot : t.length();
    String attribute = t.substring(0, end);
    if (!attribute.matches("[A-Za-z][A-Za-z0-9_$-]*")) {
      throw ScimException.invalidPath("'" + text + "' is not an attribute path");
    }
    List<Match> filter = List.of();
    String rest = t.substring(end);
    if (rest.startsWith("[")) {
      int close = rest.lastIndexOf(']');
      if (close < 0) {
        throw ScimException.invalidPath("'" + text + "' has a '[' that is not closed");
      }
      filter = matches(rest.substring(1, close), text);
      rest = rest.substring(close + 1);
    }
    Optional<String> sub = Optional.empty();
    if (!rest.isEmpty()) {
      if (!rest.matches("\\.[A-Za-z][A-Za-z0-9_$-]*")) {
        throw ScimException.invalidPath("'" + text + "' is not an attribute path");
      }
      sub = Optional.of(rest.substring(1));
    }
    return new Path(schema, attribute, filter, sub);
  }

  /** {@code a eq "x" and b eq true}: anything else in brackets is refused. */
  private static List<Match> matches(String inside, String text) {
    List<String> tokens;
    try {
      tokens = ScimTokens.of(inside);
    } catch (ScimException e) {
      throw ScimException.invalidPath("'" + text + "': " + e.detail());
    }
    List<Match> out = new ArrayList<>();
    for (int i = 0; i < tokens.size(); i += 4) {
      boolean shaped =
          i + 2 < tokens.size()
              && tokens.get(i + 1).equalsIgnoreCase("eq")
              && (i + 3 == tokens.size() || tokens.get(i + 3).equalsIgnoreCase("and"));
      if (!shaped || i + 3 == tokens.size() - 1) {
        throw ScimException.invalidPath(
            "'" + text + "': only 'sub eq value' joined by 'and' is supported in brackets");
      }
      out.add(new Match(tokens.get(i), value(tokens.get(i + 2), text)));
    }
    return out;
  }

  private static Object value(String token, String text) {
    if (token.startsWith("\"")) {
      try {
        return Json.decodeValue(token, String.class);
      } catch (DecodeException | ClassCastException e) {
        throw ScimException.invalidPath("'" + text + "' has a string that is not valid JSON");
      }
    }
    return switch (token.toLowerCase(Locale.ROOT)) {
      case "true" -> Boolean.TRUE;
      case "false" -> Boolean.FALSE;
      default -> throw ScimException.invalidPath("'" + text + "' compares with '" + token + "'");
    };
  }
}
