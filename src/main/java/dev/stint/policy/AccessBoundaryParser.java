package dev.stint.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stint.common.DocumentTemplate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads a GCP profile's {@code access_boundary}: a Credential Access Boundary, as Google's STS
 * takes it ({@code {accessBoundary: {accessBoundaryRules: [{availableResource,
 * availablePermissions, availabilityCondition?}]}}}), written as a JSON string or a YAML mapping.
 * Checked for what Google refuses at every token: at most ten rules, a full resource name, each
 * permission an {@code inRole:} role, a condition with an expression.
 */
final class AccessBoundaryParser {
  static final int MAX_RULES = 10;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> RULE_KEYS =
      Set.of("availableResource", "availablePermissions", "availabilityCondition");
  private static final Set<String> CONDITION_KEYS = Set.of("expression", "title", "description");

  private AccessBoundaryParser() {}

  /** The boundary as compact JSON; outer Optional empty = a problem was reported. */
  static Optional<Optional<String>> parse(YamlNode n) {
    Optional<Optional<JsonNode>> read = n.document("access_boundary");
    if (read.isEmpty() || read.get().isEmpty()) {
      return read.map(absent -> Optional.empty());
    }
    JsonNode doc = read.get().get();
    Set<String> placeholders;
    try {
      placeholders = DocumentTemplate.placeholders(doc.toString());
    } catch (IllegalArgumentException e) {
      n.problem("access_boundary", e.getMessage());
      return Optional.empty();
    }
    // A template is checked as it will be sent, filled (Narrowing): a placeholder may stand where
    // only its value reads as Google wants.
    List<String> why = placeholders.isEmpty() ? problems(doc) : unquotedInConditions(doc);
    if (!why.isEmpty()) {
      why.forEach(w -> n.problem("access_boundary", w));
      return Optional.empty();
    }
    return Optional.of(Optional.of(doc.toString()));
  }

  /**
   * A placeholder in a rule's {@code availabilityCondition.expression} must stand inside a quoted
   * CEL string: a value (which never holds a quote, a backslash or a space) then stays one string
   * literal, while outside one it would be CEL that the requester writes.
   */
  static List<String> unquotedInConditions(JsonNode doc) {
    List<String> why = new ArrayList<>();
    JsonNode rules = doc.path("accessBoundary").path("accessBoundaryRules");
    for (int i = 0; i < rules.size(); i++) {
      JsonNode expression = rules.get(i).path("availabilityCondition").path("expression");
      if (expression.isTextual() && placeholderOutsideQuotes(expression.asText())) {
        why.add(
            "accessBoundaryRules["
                + i
                + "].availabilityCondition.expression: a ${NAME} must stand inside a quoted string");
      }
    }
    return why;
  }

  private static boolean placeholderOutsideQuotes(String cel) {
    char quote = 0;
    for (int i = 0; i < cel.length(); i++) {
      char c = cel.charAt(i);
      if (quote != 0) {
        if (c == '\\') {
          i++;
        } else if (c == quote) {
          quote = 0;
        }
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '$' && i + 1 < cel.length() && cel.charAt(i + 1) == '{') {
        return true;
      }
    }
    return false;
  }

  /** Every reason Google would refuse {@code doc}; none when it is a boundary. */
  static List<String> problems(JsonNode doc) {
    List<String> why = new ArrayList<>();
    JsonNode rules = doc == null ? null : doc.path("accessBoundary").get("accessBoundaryRules");
    if (doc == null
        || !doc.isObject()
        || doc.size() != 1
        || doc.path("accessBoundary").size() != 1
        || rules == null) {
      why.add("must be {accessBoundary: {accessBoundaryRules: [..]}} and nothing else");
      return why;
    }
    if (!rules.isArray() || rules.isEmpty() || rules.size() > MAX_RULES) {
      why.add("accessBoundaryRules must list 1 to " + MAX_RULES + " rules");
      return why;
    }
    for (int i = 0; i < rules.size(); i++) {
      rule(rules.get(i), "accessBoundaryRules[" + i + "]", why);
    }
    return why;
  }

  private static void rule(JsonNode rule, String where, List<String> why) {
    if (!rule.isObject()) {
      why.add(where + " must be an object");
      return;
    }
    unknown(rule, RULE_KEYS, where, why);
    String resource = rule.path("availableResource").asText("");
    if (!rule.path("availableResource").isTextual() || !resource.startsWith("//")) {
      why.add(
          where
              + ".availableResource must be a full resource name such as"
              + " //storage.googleapis.com/projects/_/buckets/NAME");
    }
    JsonNode permissions = rule.path("availablePermissions");
    boolean listed = permissions.isArray() && !permissions.isEmpty();
    for (JsonNode p : listed ? permissions : JSON.createArrayNode()) {
      listed &= p.isTextual() && p.asText().matches("inRole:roles/[A-Za-z0-9._]+");
    }
    if (!listed) {
      why.add(
          where
              + ".availablePermissions must list roles as inRole:roles/NAME, such as"
              + " inRole:roles/storage.objectViewer");
    }
    if (rule.has("availabilityCondition")) {
      condition(rule.get("availabilityCondition"), where + ".availabilityCondition", why);
    }
  }

  private static void condition(JsonNode condition, String where, List<String> why) {
    if (!condition.isObject()) {
      why.add(where + " must be an object with an expression");
      return;
    }
    unknown(condition, CONDITION_KEYS, where, why);
    if (!condition.path("expression").isTextual()
        || condition.path("expression").asText().isBlank()) {
      why.add(where + ".expression must be a CEL expression");
    }
    for (String key : List.of("title", "description")) {
      if (condition.has(key) && !condition.get(key).isTextual()) {
        why.add(where + "." + key + " must be a string");
      }
    }
  }

  private static void unknown(JsonNode node, Set<String> known, String where, List<String> why) {
    Set<String> unknown = new TreeSet<>();
    node.fieldNames()
        .forEachRemaining(
            k -> {
              if (!known.contains(k)) {
                unknown.add(k);
              }
            });
    if (!unknown.isEmpty()) {
      why.add(where + ": unknown key(s) " + unknown + " (expected " + new TreeSet<>(known) + ")");
    }
  }
}
