package dev.stint.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stint.common.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A mapping in a policy file with its location, so every accessor can report a problem as {@code
 * file: key.path: reason} and carry on: one load reports every problem at once.
 */
final class YamlNode {
  private final JsonNode node;
  private final String file;
  private final String path;
  private final ProblemList problems;

  YamlNode(JsonNode node, String file, String path, ProblemList problems) {
    this.node = node;
    this.file = file;
    this.path = path;
    this.problems = problems;
  }

  String path() {
    return path;
  }

  String file() {
    return file;
  }

  String key(String field) {
    return path.isEmpty() ? field : path + "." + field;
  }

  void problem(String field, String reason) {
    problems.add(file, field == null ? path : key(field), reason);
  }

  boolean has(String field) {
    return node.has(field) && !node.get(field).isNull();
  }

  /** Refuses keys stint does not know: a typo must not silently drop a rule. */
  void allowOnly(Set<String> known) {
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!known.contains(name)) {
        problem(
            name, "unknown key (expected one of " + String.join(", ", new TreeSet<>(known)) + ")");
      }
    }
  }

  /**
   * The children of a mapping field, by name, in file order; empty (with a problem) if not a
   * mapping.
   */
  Map<String, YamlNode> mapping(String field) {
    Map<String, YamlNode> out = new LinkedHashMap<>();
    if (!has(field)) {
      return out;
    }
    JsonNode child = node.get(field);
    if (!child.isObject()) {
      problem(field, "must be a mapping");
      return out;
    }
    child
        .fields()
        .forEachRemaining(
            e ->
                out.put(
                    e.getKey(),
                    new YamlNode(e.getValue(), file, key(field) + "." + e.getKey(), problems)));
    return out;
  }

  /**
   * The items of a list field, each a mapping, in file order, keyed {@code field[i]}; empty (with a
   * problem) if the field is not a list of mappings.
   */
  Optional<List<YamlNode>> mappings(String field) {
    if (!has(field)) {
      return Optional.empty();
    }
    JsonNode v = node.get(field);
    if (!v.isArray()) {
      problem(field, "must be a list of mappings");
      return Optional.empty();
    }
    List<YamlNode> out = new ArrayList<>();
    for (int i = 0; i < v.size(); i++) {
      YamlNode item = new YamlNode(v.get(i), file, key(field) + "[" + i + "]", problems);
      if (item.asMapping().isEmpty()) {
        return Optional.empty();
      }
      out.add(item);
    }
    return Optional.of(out);
  }

  /** This node as a mapping, or empty with a problem. */
  Optional<YamlNode> asMapping() {
    if (!node.isObject()) {
      problems.add(file, path, "must be a mapping");
      return Optional.empty();
    }
    return Optional.of(this);
  }

  /**
   * This mapping's entries, each a non-empty string kept exactly as written (a parameter's value is
   * matched against its pattern, which a trimmed value could pass); empty, with a problem per bad
   * entry, when it is not such a mapping or maps nothing.
   */
  Optional<Map<String, String>> texts() {
    if (asMapping().isEmpty()) {
      return Optional.empty();
    }
    if (node.isEmpty()) {
      problems.add(file, path, "must map at least one NAME to a value");
      return Optional.empty();
    }
    Map<String, String> out = new LinkedHashMap<>();
    node.fields()
        .forEachRemaining(
            e -> {
              if (e.getValue().isTextual() && !e.getValue().asText().isEmpty()) {
                out.put(e.getKey(), e.getValue().asText());
              } else {
                problem(e.getKey(), "must be a non-empty string (quote a number)");
              }
            });
    return out.size() == node.size() ? Optional.of(out) : Optional.empty();
  }

  /** The field's value as it was written (for values stint validates itself, such as JSON). */
  Optional<JsonNode> raw(String field) {
    return has(field) ? Optional.of(node.get(field)) : Optional.empty();
  }

  /**
   * A JSON document given either as a mapping or as a string of JSON: absent inside when the field
   * is not there, empty outside when the string is no JSON (a problem is then reported).
   */
  Optional<Optional<JsonNode>> document(String field) {
    Optional<JsonNode> raw = raw(field);
    if (raw.isEmpty() || !raw.get().isTextual()) {
      return Optional.of(raw);
    }
    try {
      return Optional.of(Optional.of(new ObjectMapper().readTree(raw.get().asText())));
    } catch (JsonProcessingException e) {
      problem(field, "is not valid JSON: " + e.getOriginalMessage().lines().findFirst().orElse(""));
      return Optional.empty();
    }
  }

  Optional<YamlNode> child(String field) {
    if (!has(field)) {
      return Optional.empty();
    }
    return new YamlNode(node.get(field), file, key(field), problems).asMapping();
  }

  Optional<String> string(String field) {
    if (!has(field)) {
      return Optional.empty();
    }
    JsonNode v = node.get(field);
    if (!v.isTextual() || v.asText().isBlank()) {
      problem(field, "must be a non-empty string");
      return Optional.empty();
    }
    return Optional.of(v.asText().trim());
  }

  Optional<String> requiredString(String field) {
    if (!has(field)) {
      return missing(field);
    }
    return string(field);
  }

  /** A field that is required and absent: its problem, and no value. */
  <T> Optional<T> missing(String field) {
    problem(field, "is required");
    return Optional.empty();
  }

  Optional<Duration> duration(String field) {
    return string(field)
        .flatMap(
            text -> {
              try {
                return Optional.of(Durations.parse(text));
              } catch (IllegalArgumentException e) {
                problem(field, e.getMessage());
                return Optional.empty();
              }
            });
  }

  Optional<Boolean> bool(String field) {
    if (!has(field)) {
      return Optional.empty();
    }
    if (!node.get(field).isBoolean()) {
      problem(field, "must be true or false");
      return Optional.empty();
    }
    return Optional.of(node.get(field).asBoolean());
  }

  Optional<Integer> integer(String field) {
    if (!has(field)) {
      return Optional.empty();
    }
    if (!node.get(field).isInt()) {
      problem(field, "must be a whole number");
      return Optional.empty();
    }
    return Optional.of(node.get(field).asInt());
  }

  /** A list of non-empty strings; a single string is not accepted, to keep files uniform. */
  Optional<List<String>> strings(String field) {
    if (!has(field)) {
      return Optional.empty();
    }
    JsonNode v = node.get(field);
    List<String> out = new ArrayList<>();
    if (!v.isArray()) {
      problem(field, "must be a list of strings");
      return Optional.empty();
    }
    for (JsonNode item : v) {
      if (!item.isTextual() || item.asText().isBlank()) {
        problem(field, "must be a list of non-empty strings");
        return Optional.empty();
      }
      out.add(item.asText().trim());
    }
    return Optional.of(out);
  }

  Optional<Condition> condition(String field, Conditions cel) {
    return string(field)
        .flatMap(
            source -> {
              try {
                return Optional.of(cel.compile(source));
              } catch (IllegalArgumentException e) {
                problem(field, e.getMessage());
                return Optional.empty();
              }
            });
  }

  Optional<Condition> requiredCondition(String field, Conditions cel) {
    if (!has(field)) {
      problem(field, "is required");
      return Optional.empty();
    }
    return condition(field, cel);
  }

  /** A lower-case enum value such as {@code assume_role}. */
  <E extends Enum<E>> Optional<E> choice(String field, Class<E> type) {
    return string(field)
        .flatMap(
            text -> {
              for (E e : type.getEnumConstants()) {
                if (e.name().equalsIgnoreCase(text)) {
                  return Optional.of(e);
                }
              }
              List<String> names = new ArrayList<>();
              for (E e : type.getEnumConstants()) {
                names.add(e.name().toLowerCase(Locale.ROOT));
              }
              problem(field, "must be one of " + String.join(", ", names) + ", got '" + text + "'");
              return Optional.empty();
            });
  }
}
