package dev.stint.common;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A JSON document (an AWS session policy's statements, a GCP access boundary) whose string values
 * may hold {@code ${NAME}} placeholders, and the patterns of its parameters.
 *
 * <p>Filling is safe by construction: the document is walked as a tree and each placeholder is
 * replaced inside the one string value that holds it, then the tree is written by the JSON writer.
 * A value is never spliced into the document's text, so whatever it holds it stays one string: it
 * cannot close the string, add a statement or change a key. Each string is scanned once, so a value
 * that reads {@code ${other}} is kept as those characters and never expanded in turn.
 *
 * <p>Placeholders in field names are refused: a key is the document's structure. AWS's own policy
 * variables such as {@code ${aws:username}} are not placeholders (their names hold a colon) and are
 * left as written.
 */
public record DocumentTemplate(String json, ParameterPatterns parameters) {
  /** The longest value any parameter may take, whatever its pattern admits. */
  public static final int MAX_VALUE_CHARS = 256;

  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([a-z][a-z0-9_]{0,31})\\}");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** As the session policy parser writes: AWS takes only ASCII in a session policy. */
  private static final ObjectWriter COMPACT =
      JSON.writer().with(JsonWriteFeature.ESCAPE_NON_ASCII.mappedFeature());

  /**
   * @throws IllegalArgumentException if {@code json} is not JSON, a field name holds a placeholder,
   *     or the placeholders used and the parameters declared differ
   */
  public DocumentTemplate {
    Objects.requireNonNull(parameters, "parameters");
    Set<String> used = placeholders(json);
    if (!used.equals(parameters.names())) {
      throw new IllegalArgumentException(
          "the document uses " + used + " but the parameters are " + parameters.names());
    }
    json = write(tree(json));
  }

  /**
   * The names of the placeholders in {@code json}'s string values.
   *
   * @throws IllegalArgumentException if it is not JSON or a field name holds a placeholder
   */
  public static Set<String> placeholders(String json) {
    Set<String> names = new TreeSet<>();
    collect(tree(json), names);
    return names;
  }

  /**
   * The document with each placeholder replaced by its value. Every value is checked before any is
   * placed: each parameter has exactly one value, at most {@link #MAX_VALUE_CHARS} characters of
   * printable ASCII, without {@code ..}, matching its pattern in full.
   *
   * @throws IllegalArgumentException naming every refused parameter (never its value, which may be
   *     anything a caller sent)
   */
  public FilledDocument fill(ParameterValues values) {
    List<String> problems = new ArrayList<>();
    for (String name : values.values().keySet()) {
      if (!parameters.names().contains(name)) {
        problems.add("'" + name + "' is not a parameter of this profile");
      }
    }
    for (String name : parameters.names()) {
      String value = values.values().get(name);
      if (value == null) {
        problems.add(name + ": no value given");
      } else {
        refusal(name, value).ifPresent(problems::add);
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
    JsonNode filled = map(tree(json), s -> substitute(s, values.values()));
    return new FilledDocument(write(filled));
  }

  /**
   * Why {@code value} may fill no parameter whatever its pattern, or empty: longer than {@link
   * #MAX_VALUE_CHARS}, a character outside printable ASCII (a space, a control character, a letter
   * from another script), or {@code ..}. Does not repeat the value.
   */
  public static Optional<String> valueRefusal(String value) {
    if (value.length() > MAX_VALUE_CHARS) {
      return Optional.of(
          "the value is " + value.length() + " characters; at most " + MAX_VALUE_CHARS);
    }
    if (!value.chars().allMatch(c -> c > 0x20 && c < 0x7f) || value.contains("..")) {
      return Optional.of("a value is printable ASCII without spaces and never holds '..'");
    }
    return Optional.empty();
  }

  private Optional<String> refusal(String name, String value) {
    Optional<String> always = valueRefusal(value);
    if (always.isPresent()) {
      return Optional.of(name + ": " + always.get());
    }
    if (!parameters.pattern(name).matcher(value).matches()) {
      return Optional.of(name + ": the value does not match " + parameters.source(name));
    }
    return Optional.empty();
  }

  private static String substitute(String text, Map<String, String> values) {
    Matcher m = PLACEHOLDER.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(values.get(m.group(1))));
    }
    return m.appendTail(out).toString();
  }

  private static void collect(JsonNode node, Set<String> names) {
    if (node.isTextual()) {
      Matcher m = PLACEHOLDER.matcher(node.asText());
      while (m.find()) {
        names.add(m.group(1));
      }
    } else if (node.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        if (PLACEHOLDER.matcher(field.getKey()).find()) {
          throw new IllegalArgumentException(
              "the key '" + field.getKey() + "' holds a placeholder; only string values may");
        }
        collect(field.getValue(), names);
      }
    } else if (node.isArray()) {
      node.forEach(item -> collect(item, names));
    }
  }

  /** A copy of {@code node} with every string value replaced by {@code f} of it. */
  private static JsonNode map(JsonNode node, UnaryOperator<String> f) {
    if (node.isTextual()) {
      return TextNode.valueOf(f.apply(node.asText()));
    }
    if (node.isObject()) {
      ObjectNode out = JSON.createObjectNode();
      node.fields().forEachRemaining(e -> out.set(e.getKey(), map(e.getValue(), f)));
      return out;
    }
    if (node.isArray()) {
      ArrayNode out = JSON.createArrayNode();
      node.forEach(item -> out.add(map(item, f)));
      return out;
    }
    return node;
  }

  private static JsonNode tree(String json) {
    try {
      JsonNode node = JSON.readTree(Objects.requireNonNull(json, "json"));
      if (node == null || node.isMissingNode()) {
        throw new IllegalArgumentException("the document is empty");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("the document is not JSON", e);
    }
  }

  private static String write(JsonNode node) {
    try {
      return COMPACT.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a parsed document could not be written back", e);
    }
  }
}
