package dev.stint.facts;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Optional;

/**
 * An outside answer's values taken as the type its reference gives them, or refused naming where (a
 * JSON Pointer, such as {@code /fields/status}): a value of another type is a malformed answer,
 * never an exception from deep in a parser.
 */
final class JsonShapes {
  private JsonShapes() {}

  static JsonObject object(Object value, String where) {
    if (value instanceof JsonObject o) {
      return o;
    }
    throw malformed(where, "an object");
  }

  static JsonArray array(Object value, String where) {
    if (value instanceof JsonArray a) {
      return a;
    }
    throw malformed(where, "a list");
  }

  static String text(Object value, String where) {
    if (value instanceof String s && !s.isBlank()) {
      return s;
    }
    throw malformed(where, "text");
  }

  /** Text that may be missing, null or empty (an email the owner keeps private). */
  static Optional<String> optionalText(Object value, String where) {
    if (value == null || value instanceof String s && s.isBlank()) {
      return Optional.empty();
    }
    return Optional.of(text(value, where));
  }

  static boolean flag(Object value, String where) {
    if (value instanceof Boolean b) {
      return b;
    }
    throw malformed(where, "true or false");
  }

  private static IllegalArgumentException malformed(String where, String expected) {
    return new IllegalArgumentException("a malformed " + where + " (expected " + expected + ")");
  }
}
