package dev.stint.http;

import dev.stint.common.ParameterPatterns;
import dev.stint.common.ParameterValues;
import dev.stint.error.StintException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Strict reading of JSON request bodies: an object, only known fields (a typo in a field name is an
 * error, not a silently ignored option), and typed getters with clear messages.
 */
public final class JsonBodies {
  /** More than any profile declares; a body naming more is refused before it is read further. */
  static final int MAX_PARAMETERS = 32;

  private final JsonObject body;

  private JsonBodies(JsonObject body) {
    this.body = body;
  }

  /** The body as an object with only {@code allowed} fields; an empty body is {@code {}}. */
  public static JsonBodies read(RoutingContext ctx, Set<String> allowed) {
    String contentType = Optional.ofNullable(ctx.request().getHeader("Content-Type")).orElse("");
    String text = ctx.body() == null ? null : ctx.body().asString();
    if (text == null || text.isBlank()) {
      return new JsonBodies(new JsonObject());
    }
    if (!contentType.toLowerCase(Locale.ROOT).startsWith("application/json")) {
      throw StintException.invalid("the body must be application/json");
    }
    JsonObject object;
    try {
      object = new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      throw StintException.invalid("the body is not a JSON object");
    }
    for (String field : object.fieldNames()) {
      if (!allowed.contains(field)) {
        throw StintException.invalid("unknown field '" + field + "'; expected " + allowed);
      }
    }
    return new JsonBodies(object);
  }

  /** An object field, if given; anything else under the name is refused. */
  public Optional<JsonObject> optionalObject(String field) {
    Object value = body.getValue(field);
    if (value == null) {
      return Optional.empty();
    }
    if (!(value instanceof JsonObject object)) {
      throw StintException.invalid("'" + field + "' must be an object");
    }
    return Optional.of(object);
  }

  /** A list field, required; anything else under the name is refused. */
  public JsonArray requiredArray(String field) {
    if (!(body.getValue(field) instanceof JsonArray array)) {
      throw StintException.invalid("'" + field + "' must be a list");
    }
    return array;
  }

  /** A field holding JSON of any shape but null, if given, as the JSON text it is. */
  public Optional<String> optionalJson(String field) {
    Object value = body.getValue(field);
    if (value == null) {
      return Optional.empty();
    }
    if (value instanceof JsonObject object) {
      return Optional.of(object.encode());
    }
    if (value instanceof JsonArray array) {
      return Optional.of(array.encode());
    }
    throw StintException.invalid("'" + field + "' must be a JSON object or array");
  }

  public String requiredString(String field) {
    return optionalString(field)
        .orElseThrow(() -> StintException.invalid("'" + field + "' is required"));
  }

  public Optional<String> optionalString(String field) {
    Object value = body.getValue(field);
    if (value == null) {
      return Optional.empty();
    }
    if (!(value instanceof String s)) {
      throw StintException.invalid("'" + field + "' must be a string");
    }
    return Optional.of(s);
  }

  public long requiredLong(String field) {
    return optionalLong(field)
        .orElseThrow(() -> StintException.invalid("'" + field + "' is required"));
  }

  public Optional<Long> optionalLong(String field) {
    Object value = body.getValue(field);
    if (value == null) {
      return Optional.empty();
    }
    if (!(value instanceof Integer || value instanceof Long)) {
      throw StintException.invalid("'" + field + "' must be a whole number");
    }
    return Optional.of(((Number) value).longValue());
  }

  /** A list of strings, or empty when the field is absent. */
  public Optional<List<String>> optionalStrings(String field) {
    Object value = body.getValue(field);
    if (value == null) {
      return Optional.empty();
    }
    if (!(value instanceof JsonArray array) || !array.stream().allMatch(String.class::isInstance)) {
      throw StintException.invalid("'" + field + "' must be a list of strings");
    }
    return Optional.of(array.stream().map(String.class::cast).toList());
  }

  public boolean optionalBoolean(String field) {
    Object value = body.getValue(field);
    if (value == null) {
      return false;
    }
    if (!(value instanceof Boolean b)) {
      throw StintException.invalid("'" + field + "' must be true or false");
    }
    return b;
  }

  /**
   * A narrowed profile's values ({@code {"NAME": "value"}}), or none when the field is absent. Only
   * their shape is checked here: a name a parameter could have, a string value. What each value may
   * be is the profile's to say.
   */
  public ParameterValues parameters(String field) {
    Object value = body.getValue(field);
    if (value == null) {
      return ParameterValues.NONE;
    }
    if (!(value instanceof JsonObject object) || object.size() > MAX_PARAMETERS) {
      throw StintException.invalid(
          "'" + field + "' must be an object of at most " + MAX_PARAMETERS + " names and values");
    }
    Map<String, String> values = new TreeMap<>();
    for (String name : object.fieldNames()) {
      if (!ParameterPatterns.NAME.matcher(name).matches()) {
        throw StintException.invalid(
            "'"
                + field
                + "' names a parameter no profile can have (a name is "
                + ParameterPatterns.NAME.pattern()
                + ")");
      }
      if (!(object.getValue(name) instanceof String text)) {
        throw StintException.invalid("'" + field + "." + name + "' must be a string");
      }
      values.put(name, text);
    }
    return ParameterValues.of(values);
  }

  public Optional<Instant> optionalInstant(String field) {
    return optionalString(field)
        .map(
            text -> {
              try {
                return OffsetDateTime.parse(text).toInstant();
              } catch (DateTimeParseException e) {
                throw StintException.invalid(
                    "'" + field + "' must be an ISO-8601 time with an offset");
              }
            });
  }
}
