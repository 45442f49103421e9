package dev.stint.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Reads a profile's {@code aws.session_policy} (an IAM policy document, as a JSON string or a YAML
 * mapping) and {@code aws.session_policy_arns}. Outer Optional empty = a problem was reported; the
 * size of the whole session policy is checked by the profile, which also knows the {@code
 * source_cidrs}.
 */
final class SessionPolicyParser {
  static final int MAX_ARNS = 10;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern POLICY_ARN =
      Pattern.compile(
          "arn:aws(-cn|-us-gov)?:iam::(\\d{12}|aws):policy/([\\w+=,.@-]+/)*[\\w+=,.@-]{1,128}");
  private static final Set<String> STATEMENT_KEYS =
      Set.of("Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Condition");

  private SessionPolicyParser() {}

  /** The statements as a compact JSON array. */
  static Optional<Optional<String>> inline(YamlNode n) {
    Optional<JsonNode> raw = n.raw("session_policy");
    if (raw.isEmpty()) {
      return Optional.of(Optional.empty());
    }
    JsonNode doc = raw.get();
    if (doc.isTextual()) {
      try {
        doc = JSON.readTree(doc.asText());
      } catch (JsonProcessingException e) {
        n.problem(
            "session_policy",
            "is not valid JSON: " + e.getOriginalMessage().lines().findFirst().orElse(""));
        return Optional.empty();
      }
    }
    List<String> why = new ArrayList<>();
    ArrayNode statements = statements(doc, why);
    if (!why.isEmpty()) {
      why.forEach(w -> n.problem("session_policy", w));
      return Optional.empty();
    }
    return Optional.of(Optional.of(statements.toString()));
  }

  private static ArrayNode statements(JsonNode doc, List<String> why) {
    ArrayNode out = JSON.createArrayNode();
    if (doc == null || !doc.isObject()) {
      why.add("must be an IAM policy document (a JSON object with Version and Statement)");
      return out;
    }
    doc.fieldNames()
        .forEachRemaining(
            k -> {
              if (!k.equals("Version") && !k.equals("Statement")) {
                why.add("unknown key '" + k + "' (a session policy has Version and Statement)");
              }
            });
    if (!"2012-10-17".equals(doc.path("Version").asText())) {
      why.add("Version must be \"2012-10-17\"");
    }
    JsonNode st = doc.path("Statement");
    if (st.isObject()) {
      out.add(st);
    } else if (st.isArray() && !st.isEmpty()) {
      out.addAll((ArrayNode) st);
    } else {
      why.add("Statement must be a statement or a non-empty list of statements");
    }
    for (int i = 0; i < out.size(); i++) {
      statement(out.get(i), "Statement[" + i + "]", why);
    }
    return out;
  }

  private static void statement(JsonNode s, String where, List<String> why) {
    if (!s.isObject()) {
      why.add(where + " must be an object");
      return;
    }
    Set<String> unknown = new TreeSet<>();
    s.fieldNames()
        .forEachRemaining(
            k -> {
              if (!STATEMENT_KEYS.contains(k)) {
                unknown.add(k);
              }
            });
    if (!unknown.isEmpty()) {
      // Principal has no meaning in a session policy; AWS would refuse it at every mint.
      why.add(
          where
              + ": unknown key(s) "
              + unknown
              + " (expected "
              + new TreeSet<>(STATEMENT_KEYS)
              + ")");
    }
    String effect = s.path("Effect").asText("");
    if (!effect.equals("Allow") && !effect.equals("Deny")) {
      why.add(where + ": Effect must be Allow or Deny");
    }
    if (s.has("Action") == s.has("NotAction")) {
      why.add(where + ": needs exactly one of Action and NotAction");
    }
    if (s.has("Resource") == s.has("NotResource")) {
      why.add(where + ": needs exactly one of Resource and NotResource");
    }
  }

  static Optional<List<String>> arns(YamlNode n) {
    if (!n.has("session_policy_arns")) {
      return Optional.of(List.of());
    }
    Optional<List<String>> arns = n.strings("session_policy_arns");
    if (arns.isEmpty()) {
      return Optional.empty();
    }
    boolean ok = true;
    if (arns.get().size() > MAX_ARNS) {
      n.problem(
          "session_policy_arns",
          "lists " + arns.get().size() + " policies; AWS accepts at most " + MAX_ARNS);
      ok = false;
    }
    for (String arn : arns.get()) {
      if (!POLICY_ARN.matcher(arn).matches()) {
        n.problem(
            "session_policy_arns",
            "'"
                + arn
                + "' is not a managed policy ARN such as "
                + "arn:aws:iam::111122223333:policy/read-only or arn:aws:iam::aws:policy/ReadOnlyAccess");
        ok = false;
      }
    }
    if (arns.get().stream().distinct().count() != arns.get().size()) {
      n.problem("session_policy_arns", "lists a policy twice");
      ok = false;
    }
    return ok ? arns : Optional.empty();
  }
}
