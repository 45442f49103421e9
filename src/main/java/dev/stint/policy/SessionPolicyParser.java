package dev.stint.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.stint.common.DocumentTemplate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
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
  private static final Pattern SID = Pattern.compile("[0-9A-Za-z]*");
  private static final Pattern ACTION = Pattern.compile("\\*|[A-Za-z0-9-]+:[A-Za-z0-9*?]+");

  /**
   * STS takes a session policy of tab, newline, carriage return and U+0020 to U+00FF only, so every
   * character outside ASCII is written as a JSON escape, which means the same to AWS's parser (and
   * is what the size checks count).
   */
  private static final ObjectWriter COMPACT =
      JSON.writer().with(JsonWriteFeature.ESCAPE_NON_ASCII.mappedFeature());

  private SessionPolicyParser() {}

  /** The statements as a compact JSON array. */
  static Optional<Optional<String>> inline(YamlNode n) {
    Optional<Optional<JsonNode>> read = n.document("session_policy");
    if (read.isEmpty() || read.get().isEmpty()) {
      return read.map(absent -> Optional.empty());
    }
    JsonNode doc = read.get().get();
    List<String> why = new ArrayList<>();
    List<String> statementWhy = new ArrayList<>();
    ArrayNode statements = statements(doc, why, statementWhy);
    if (!templated(doc)) {
      why.addAll(statementWhy);
    }
    if (!why.isEmpty()) {
      why.forEach(w -> n.problem("session_policy", w));
      return Optional.empty();
    }
    try {
      return Optional.of(Optional.of(COMPACT.writeValueAsString(statements)));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a parsed policy could not be written back", e);
    }
  }

  /**
   * Every reason AWS would refuse a session policy of these statements (a compact JSON array, as
   * {@link #inline} gives them); none when it would take it.
   */
  static List<String> problems(String statementsArray) {
    List<String> why = new ArrayList<>();
    try {
      JsonNode doc =
          JSON.createObjectNode()
              .put("Version", "2012-10-17")
              .set("Statement", JSON.readTree(statementsArray));
      statements(doc, why, why);
    } catch (JsonProcessingException e) {
      why.add("is not valid JSON");
    }
    return why;
  }

  /**
   * Whether the document holds {@code ${NAME}} placeholders: its statements are then checked as
   * they will be sent, filled ({@link Narrowing}), since a placeholder may stand where only its
   * value reads as AWS wants (an action's name).
   */
  private static boolean templated(JsonNode doc) {
    try {
      return !DocumentTemplate.placeholders(doc.toString()).isEmpty();
    } catch (IllegalArgumentException e) {
      // A placeholder in a key: the statements' own check reports that key as unknown.
      return false;
    }
  }

  /**
   * The statements, with the document's problems in {@code why} and its statements' in {@code
   * statementWhy}.
   */
  private static ArrayNode statements(JsonNode doc, List<String> why, List<String> statementWhy) {
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
    Set<String> sids = new TreeSet<>();
    for (int i = 0; i < out.size(); i++) {
      statement(out.get(i), "Statement[" + i + "]", statementWhy);
      String sid = out.get(i).path("Sid").asText("");
      if (!sid.isEmpty() && !sids.add(sid)) {
        statementWhy.add("Sid '" + sid + "' is used twice (AWS refuses a repeated Sid)");
      }
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
    grammar(s, where, why);
  }

  /**
   * What else AWS refuses of a statement at every mint (MalformedPolicyDocument): a Sid of other
   * than letters and digits, an action without its service, a resource neither * nor an ARN, a
   * Condition not of operator → key → value(s).
   */
  private static void grammar(JsonNode s, String where, List<String> why) {
    if (s.has("Sid")
        && !(s.get("Sid").isTextual() && SID.matcher(s.get("Sid").asText()).matches())) {
      why.add(where + ": Sid must be letters and digits only");
    }
    for (String key : List.of("Action", "NotAction")) {
      values(
          s.get(key),
          where + "." + key,
          why,
          ACTION.asMatchPredicate(),
          "* or service:action, e.g. s3:GetObject");
    }
    for (String key : List.of("Resource", "NotResource")) {
      values(
          s.get(key),
          where + "." + key,
          why,
          r -> r.equals("*") || r.startsWith("arn:"),
          "* or an ARN");
    }
    JsonNode condition = s.get("Condition");
    if (condition != null && !condition(condition)) {
      why.add(where + ".Condition must map each operator to {key: value or [values]}");
    }
  }

  /** A string or a non-empty list of strings, each {@code valid}. */
  private static void values(
      JsonNode node, String where, List<String> why, Predicate<String> valid, String expected) {
    if (node == null) {
      return;
    }
    List<JsonNode> each = new ArrayList<>();
    if (node.isArray()) {
      node.forEach(each::add);
    } else {
      each.add(node);
    }
    if (each.isEmpty()) {
      why.add(where + " must not be empty");
    }
    for (JsonNode v : each) {
      if (!v.isTextual() || !valid.test(v.asText())) {
        why.add(where + ": '" + v.asText(v.toString()) + "' must be " + expected);
      }
    }
  }

  private static boolean condition(JsonNode condition) {
    if (!condition.isObject()) {
      return false;
    }
    for (JsonNode keys : condition) {
      if (!keys.isObject() || keys.isEmpty()) {
        return false;
      }
      for (JsonNode value : keys) {
        boolean single = value.isValueNode() && !value.isNull();
        boolean list = value.isArray() && !value.isEmpty();
        for (JsonNode v : list ? value : JSON.createArrayNode()) {
          list &= v.isValueNode() && !v.isNull();
        }
        if (!single && !list) {
          return false;
        }
      }
    }
    return true;
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
