package dev.stint.standin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The IAM policy grammar as IAM and STS hold an identity policy to it (an inline role policy, a
 * session policy): a JSON object of {@code Version}, {@code Id} and {@code Statement}; each
 * statement an {@code Effect} of exactly {@code Allow} or {@code Deny}, one of {@code
 * Action}/{@code NotAction} (each {@code *} or {@code vendor:action}), one of {@code
 * Resource}/{@code NotResource} (each {@code *} or an ARN), an optional {@code Condition} of
 * operator → key → value(s), an optional alphanumeric {@code Sid} unique in the policy, and no
 * {@code Principal} (a policy attached to an identity names none). {@code Version} may be left out
 * (it then means {@code 2008-10-17}); any other value than the two IAM knows is refused. A document
 * that breaks it is {@code MalformedPolicyDocument}, with IAM's words for the break.
 */
public final class PolicyGrammar {
  static final String SYNTAX = "Syntax errors in policy.";
  static final String LEGACY = "The policy failed legacy parsing";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> TOP = Set.of("Version", "Id", "Statement");
  private static final Set<String> VERSIONS = Set.of("2012-10-17", "2008-10-17");
  private static final Set<String> STATEMENT =
      Set.of(
          "Sid",
          "Effect",
          "Principal",
          "NotPrincipal",
          "Action",
          "NotAction",
          "Resource",
          "NotResource",
          "Condition");
  private static final Pattern SID = Pattern.compile("[0-9A-Za-z]*");
  private static final Pattern ACTION = Pattern.compile("\\*|[A-Za-z0-9-]+:[A-Za-z0-9*?]+");

  private PolicyGrammar() {}

  /** Why IAM would call {@code document} a malformed identity policy, or empty. */
  public static Optional<String> malformed(String document) {
    JsonNode policy;
    try {
      policy = JSON.readTree(document);
    } catch (JsonProcessingException e) {
      return Optional.of("This policy contains invalid Json");
    }
    if (policy == null || !policy.isObject() || !known(policy, TOP)) {
      return Optional.of(SYNTAX);
    }
    if (policy.has("Version") && !VERSIONS.contains(policy.get("Version").asText(""))) {
      return Optional.of(LEGACY);
    }
    JsonNode statements = policy.path("Statement");
    List<JsonNode> each = new ArrayList<>();
    if (statements.isObject()) {
      each.add(statements);
    } else if (statements.isArray() && !statements.isEmpty()) {
      statements.forEach(each::add);
    } else {
      return Optional.of(SYNTAX);
    }
    Set<String> sids = new HashSet<>();
    for (JsonNode statement : each) {
      Optional<String> wrong = statement(statement);
      if (wrong.isPresent()) {
        return wrong;
      }
      if (statement.has("Sid") && !sids.add(statement.get("Sid").asText())) {
        return Optional.of("Statement IDs (SID) in a single policy must be unique.");
      }
    }
    return Optional.empty();
  }

  private static Optional<String> statement(JsonNode s) {
    if (!s.isObject() || !known(s, STATEMENT)) {
      return Optional.of(SYNTAX);
    }
    if (s.has("Sid")
        && !(s.get("Sid").isTextual() && SID.matcher(s.get("Sid").asText()).matches())) {
      return Optional.of(
          "Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular"
              + " expression [0-9A-Za-z]*");
    }
    if (!s.has("Effect")) {
      return Optional.of("Missing required field Effect");
    }
    String effect = s.get("Effect").isTextual() ? s.get("Effect").asText() : "";
    if (!effect.equals("Allow") && !effect.equals("Deny")) {
      return Optional.of(LEGACY);
    }
    if (s.has("Principal") || s.has("NotPrincipal")) {
      return Optional.of("Policy document should not specify a principal.");
    }
    if (s.has("Action") == s.has("NotAction")) {
      return Optional.of(s.has("Action") ? SYNTAX : "Policy statement must contain actions.");
    }
    if (s.has("Resource") == s.has("NotResource")) {
      return Optional.of(s.has("Resource") ? SYNTAX : "Policy statement must contain resources.");
    }
    return values(s).or(() -> condition(s.path("Condition")));
  }

  private static Optional<String> values(JsonNode s) {
    JsonNode actions = s.has("Action") ? s.get("Action") : s.get("NotAction");
    JsonNode resources = s.has("Resource") ? s.get("Resource") : s.get("NotResource");
    List<String> actionList = strings(actions);
    List<String> resourceList = strings(resources);
    if (actionList == null || resourceList == null) {
      return Optional.of(SYNTAX);
    }
    for (String action : actionList) {
      if (!ACTION.matcher(action).matches()) {
        return Optional.of(
            "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.");
      }
    }
    for (String resource : resourceList) {
      if (!resource.equals("*") && !resource.startsWith("arn:")) {
        return Optional.of("Resource " + resource + " must be in ARN format or \"*\".");
      }
    }
    return Optional.empty();
  }

  /** {@code { operator: { key: value or [values] } }}, every value a string, number or bool. */
  private static Optional<String> condition(JsonNode condition) {
    if (condition.isMissingNode()) {
      return Optional.empty();
    }
    if (!condition.isObject()) {
      return Optional.of(SYNTAX);
    }
    for (JsonNode keys : condition) {
      if (!keys.isObject() || keys.isEmpty()) {
        return Optional.of(SYNTAX);
      }
      for (JsonNode value : keys) {
        boolean ok = value.isValueNode() || value.isArray() && !value.isEmpty() && allValues(value);
        if (!ok || value.isNull()) {
          return Optional.of(SYNTAX);
        }
      }
    }
    return Optional.empty();
  }

  private static boolean allValues(JsonNode array) {
    for (JsonNode v : array) {
      if (!v.isValueNode() || v.isNull()) {
        return false;
      }
    }
    return true;
  }

  /** A string or a non-empty array of strings, or null. */
  private static List<String> strings(JsonNode node) {
    if (node.isTextual()) {
      return List.of(node.asText());
    }
    if (!node.isArray() || node.isEmpty()) {
      return null;
    }
    List<String> out = new ArrayList<>();
    for (JsonNode v : node) {
      if (!v.isTextual()) {
        return null;
      }
      out.add(v.asText());
    }
    return out;
  }

  private static boolean known(JsonNode object, Set<String> keys) {
    for (var it = object.fieldNames(); it.hasNext(); ) {
      if (!keys.contains(it.next())) {
        return false;
      }
    }
    return true;
  }
}
