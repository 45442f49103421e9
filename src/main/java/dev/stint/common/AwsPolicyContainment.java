package dev.stint.common;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Whether a set of session-policy statements allows nothing another set does not, proven statement
 * by statement: each {@code Allow} of the narrower set must fit inside one {@code Allow} of the
 * wider set. It fits when each of its actions is covered by one of the wider statement's actions
 * (case-insensitively, as IAM compares actions), each of its resources by one of the wider
 * statement's resources, and it keeps every condition of the wider statement (it may add more).
 * Coverage between two patterns with {@code *} and {@code ?} is decided exactly, so a narrower
 * pattern holding wildcards is accepted only when every name it matches, the wider one matches.
 *
 * <p>What the proof cannot judge is refused, never guessed: {@code NotAction}, {@code NotResource},
 * {@code Principal}, a {@code Deny} in the narrower set (a session policy's denies are stint's to
 * write), or a statement that is not an object of string or string-list values. The wider set's
 * {@code Deny} statements are the caller's to keep beside the narrower set: this proof is about
 * what is allowed.
 */
public final class AwsPolicyContainment {
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private static final Set<String> KNOWN =
      Set.of("Sid", "Effect", "Action", "Resource", "Condition");

  private AwsPolicyContainment() {}

  /**
   * Why {@code narrower} (a JSON array of statements) may allow what {@code wider} (another) does
   * not, naming the first statement that is not proven to fit; empty when every one fits.
   *
   * @throws IllegalArgumentException if either is not a JSON array of statement objects
   */
  public static Optional<String> whyNotContained(String narrower, String wider) {
    List<JsonNode> allowed = new ArrayList<>();
    List<JsonNode> widerStatements = statements(wider, "the wider policy");
    for (int i = 0; i < widerStatements.size(); i++) {
      JsonNode statement = widerStatements.get(i);
      if (!"Allow".equals(statement.path("Effect").asText())) {
        return Optional.of(
            "the grant's policy has a statement other than Allow ("
                + name(statement, i)
                + "): what it takes away cannot be proven kept");
      }
      allowed.add(statement);
    }
    List<JsonNode> asked = statements(narrower, "the narrower policy");
    for (int i = 0; i < asked.size(); i++) {
      JsonNode statement = asked.get(i);
      Optional<String> unjudged = unjudged(statement);
      String name = name(statement, i);
      if (unjudged.isPresent()) {
        return Optional.of(name + " cannot be proven narrower: " + unjudged.get());
      }
      if (allowed.stream().noneMatch(w -> fitsIn(statement, w))) {
        return Optional.of(
            name
                + " is not inside any Allow statement of the grant's policy (each of its actions"
                + " and resources must be covered by one statement, whose conditions it keeps)");
      }
    }
    return Optional.empty();
  }

  private static List<JsonNode> statements(String json, String which) {
    JsonNode tree;
    try {
      tree = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          which + " is not one JSON document without a key given twice");
    }
    if (tree == null || !tree.isArray()) {
      throw new IllegalArgumentException(which + " is not a JSON array of statements");
    }
    List<JsonNode> out = new ArrayList<>();
    tree.forEach(out::add);
    for (JsonNode s : out) {
      if (!s.isObject()) {
        throw new IllegalArgumentException(which + " holds a statement that is not an object");
      }
    }
    return out;
  }

  private static String name(JsonNode statement, int index) {
    String sid = statement.path("Sid").asText("");
    return "statement " + (index + 1) + (sid.isEmpty() ? "" : " (" + sid + ")");
  }

  /** What about {@code statement} this proof does not judge, if anything. */
  private static Optional<String> unjudged(JsonNode statement) {
    for (var fields = statement.fieldNames(); fields.hasNext(); ) {
      String field = fields.next();
      if (!KNOWN.contains(field)) {
        return Optional.of("it has " + field);
      }
    }
    if (!"Allow".equals(statement.path("Effect").asText())) {
      return Optional.of("only Allow statements are proven");
    }
    if (strings(statement.get("Action")).isEmpty()
        || strings(statement.get("Resource")).isEmpty()) {
      return Optional.of("Action and Resource must each be a string or a list of strings");
    }
    if (variables(statement)) {
      return Optional.of("a policy variable (${...}) in an action or resource is not judged");
    }
    if (statement.has("Condition") && conditions(statement.get("Condition")).isEmpty()) {
      return Optional.of("its Condition is not operator -> key -> string or strings");
    }
    return Optional.empty();
  }

  private static boolean fitsIn(JsonNode narrow, JsonNode wide) {
    Optional<List<String>> wideActions = strings(wide.get("Action"));
    Optional<List<String>> wideResources = strings(wide.get("Resource"));
    if (wideActions.isEmpty() || wideResources.isEmpty() || variables(wide)) {
      // NotAction, NotResource, a policy variable or a shape not judged: nothing is proven to fit.
      return false;
    }
    List<String> actions = lower(wideActions.get());
    boolean actionsCovered =
        lower(strings(narrow.get("Action")).orElseThrow()).stream()
            .allMatch(a -> actions.stream().anyMatch(w -> covers(w, a)));
    boolean resourcesCovered =
        strings(narrow.get("Resource")).orElseThrow().stream()
            .allMatch(r -> wideResources.get().stream().anyMatch(w -> covers(w, r)));
    return actionsCovered && resourcesCovered && keepsConditions(narrow, wide);
  }

  /** Every condition of {@code wide} is in {@code narrow}, with the same values. */
  private static boolean keepsConditions(JsonNode narrow, JsonNode wide) {
    if (!wide.has("Condition")) {
      return true;
    }
    Optional<List<Condition>> required = conditions(wide.get("Condition"));
    if (required.isEmpty()) {
      return false;
    }
    List<Condition> kept =
        narrow.has("Condition") ? conditions(narrow.get("Condition")).orElse(List.of()) : List.of();
    return kept.containsAll(required.get());
  }

  /** One operator on one key with its values, as IAM reads them (values in any order). */
  private record Condition(String operator, String key, Set<String> values) {}

  private static Optional<List<Condition>> conditions(JsonNode block) {
    if (block == null || !block.isObject()) {
      return Optional.empty();
    }
    List<Condition> out = new ArrayList<>();
    for (var operators = block.fields(); operators.hasNext(); ) {
      var operator = operators.next();
      if (!operator.getValue().isObject()) {
        return Optional.empty();
      }
      for (var keys = operator.getValue().fields(); keys.hasNext(); ) {
        var key = keys.next();
        Optional<List<String>> values = strings(key.getValue());
        if (values.isEmpty()) {
          return Optional.empty();
        }
        // IAM compares operators as written and condition keys in any case.
        out.add(
            new Condition(
                operator.getKey(),
                key.getKey().toLowerCase(Locale.ROOT),
                Set.copyOf(values.get())));
      }
    }
    return Optional.of(out);
  }

  private static Optional<List<String>> strings(JsonNode node) {
    if (node == null) {
      return Optional.empty();
    }
    if (node.isTextual()) {
      return Optional.of(List.of(node.asText()));
    }
    if (!node.isArray() || node.isEmpty()) {
      return Optional.empty();
    }
    List<String> out = new ArrayList<>();
    for (JsonNode item : node) {
      if (!item.isTextual()) {
        return Optional.empty();
      }
      out.add(item.asText());
    }
    return Optional.of(out);
  }

  /** Whether an action or resource of {@code statement} holds {@code ${}, IAM's variable syntax. */
  private static boolean variables(JsonNode statement) {
    return strings(statement.get("Action")).orElse(List.of()).stream()
            .anyMatch(v -> v.contains("${"))
        || strings(statement.get("Resource")).orElse(List.of()).stream()
            .anyMatch(v -> v.contains("${"));
  }

  private static List<String> lower(List<String> values) {
    return values.stream().map(v -> v.toLowerCase(Locale.ROOT)).toList();
  }

  /**
   * Whether every name {@code narrow} matches, {@code wide} matches too, both read as IAM patterns
   * ({@code *}: any run of characters, {@code ?}: any one). A {@code *} or {@code ?} in {@code
   * narrow} is matched only by a wildcard of {@code wide} that matches whatever it stands for.
   */
  public static boolean covers(String wide, String narrow) {
    int w = wide.length();
    int n = narrow.length();
    // fits[i][j]: wide from i covers narrow from j.
    boolean[][] fits = new boolean[w + 1][n + 1];
    fits[w][n] = true;
    for (int i = w - 1; i >= 0; i--) {
      char p = wide.charAt(i);
      for (int j = n; j >= 0; j--) {
        if (p == '*') {
          // Stand for nothing, or take narrow's next character (a wildcard included) and go on.
          fits[i][j] = fits[i + 1][j] || (j < n && fits[i][j + 1]);
        } else if (j == n) {
          fits[i][j] = false;
        } else {
          char c = narrow.charAt(j);
          boolean one = p == '?' ? c != '*' : c == p;
          fits[i][j] = one && fits[i + 1][j + 1];
        }
      }
    }
    return fits[0][0];
  }
}
