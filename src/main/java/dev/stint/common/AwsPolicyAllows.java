package dev.stint.common;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Whether a set of AWS policy statements allows an action on a resource, as IAM evaluates an
 * identity's own statements: a {@code Deny} that matches wins, else an {@code Allow} that matches
 * allows, else nothing does. The resource may itself be a pattern (the objects under a prefix,
 * {@code arn:aws:s3:::b/p/*}): it is allowed only when every name it matches is, decided exactly as
 * {@link AwsPolicyContainment} decides coverage.
 *
 * <p>Honest about what it cannot judge: an {@code Allow} with a {@code Condition}, {@code
 * NotAction}, {@code NotResource} or a policy variable never counts as allowing (the request's
 * context is not known here), and a {@code Deny} of that kind counts as denying (it might apply).
 * So a "yes" is a proof; a "no" may be a "cannot tell", and says which.
 */
public final class AwsPolicyAllows {
  private static final ObjectMapper JSON = new ObjectMapper();

  private AwsPolicyAllows() {}

  /**
   * Why {@code statements} (a JSON array of statements) may not allow {@code action} on {@code
   * resource}; empty when some Allow proves it and no Deny may apply.
   *
   * @throws IllegalArgumentException if {@code statements} is not a JSON array of objects
   */
  public static Optional<String> whyNot(String statements, String action, String resource) {
    List<JsonNode> all = statements(statements);
    for (JsonNode s : all) {
      if ("Deny".equals(s.path("Effect").asText()) && mayMatch(s, action, resource)) {
        return Optional.of("a Deny statement may apply to " + action + " on " + resource);
      }
    }
    for (JsonNode s : all) {
      if ("Allow".equals(s.path("Effect").asText()) && provenMatch(s, action, resource)) {
        return Optional.empty();
      }
    }
    return Optional.of(
        "no Allow statement without conditions covers " + action + " on " + resource);
  }

  private static boolean provenMatch(JsonNode s, String action, String resource) {
    if (s.has("Condition") || s.has("NotAction") || s.has("NotResource")) {
      return false;
    }
    List<String> actions = strings(s.get("Action"));
    List<String> resources = strings(s.get("Resource"));
    if (variables(actions) || variables(resources)) {
      return false;
    }
    String wanted = action.toLowerCase(Locale.ROOT);
    return actions.stream()
            .anyMatch(a -> AwsPolicyContainment.covers(a.toLowerCase(Locale.ROOT), wanted))
        && resources.stream().anyMatch(r -> AwsPolicyContainment.covers(r, resource));
  }

  /** Whether a Deny might reach the call: anything it cannot rule out counts. */
  private static boolean mayMatch(JsonNode s, String action, String resource) {
    if (s.has("NotAction") || s.has("NotResource")) {
      return true;
    }
    List<String> actions = strings(s.get("Action"));
    List<String> resources = strings(s.get("Resource"));
    if (variables(actions) || variables(resources)) {
      return true;
    }
    String wanted = action.toLowerCase(Locale.ROOT);
    return actions.stream().anyMatch(a -> overlap(a.toLowerCase(Locale.ROOT), wanted))
        && resources.stream().anyMatch(r -> overlap(r, resource));
  }

  /** Whether two patterns may name one thing in common: either covers the other, or both wild. */
  private static boolean overlap(String a, String b) {
    return AwsPolicyContainment.covers(a, b)
        || AwsPolicyContainment.covers(b, a)
        || (wild(a) && wild(b));
  }

  private static boolean wild(String p) {
    return p.indexOf('*') >= 0 || p.indexOf('?') >= 0;
  }

  private static boolean variables(List<String> values) {
    return values.stream().anyMatch(v -> v.contains("${"));
  }

  private static List<String> strings(JsonNode node) {
    List<String> out = new ArrayList<>();
    if (node == null) {
      return out;
    }
    if (node.isTextual()) {
      out.add(node.asText());
    } else if (node.isArray()) {
      node.forEach(n -> out.add(n.asText()));
    }
    return out;
  }

  private static List<JsonNode> statements(String json) {
    JsonNode tree;
    try {
      tree = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("the statements are not JSON");
    }
    if (tree == null || !tree.isArray()) {
      throw new IllegalArgumentException("the statements are not a JSON array");
    }
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode s : tree) {
      if (!s.isObject()) {
        throw new IllegalArgumentException("a statement is not an object");
      }
      out.add(s);
    }
    return out;
  }
}
