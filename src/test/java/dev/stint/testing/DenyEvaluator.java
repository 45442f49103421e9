package dev.stint.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stint.testing.FakeAwsEndpoint.Call;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Whether an IAM policy document denies every action to one STS session, evaluated the way IAM does
 * for the parts stint writes: a {@code Deny} statement with {@code Action} and {@code Resource}
 * {@code "*"} applies when all its conditions hold; a condition key the session lacks makes every
 * operator but {@code Null} false; values may be one string or a list (any matches). Operators it
 * does not know fail the test rather than guess.
 */
public final class DenyEvaluator {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What IAM knows about a session: its tags, its source identity, when it was issued. */
  public record Session(
      Map<String, String> tags, Optional<String> sourceIdentity, Instant issuedAt) {
    /** The session an {@code AssumeRole} call to the fake STS made, issued at {@code issuedAt}. */
    public static Session of(Call call, Instant issuedAt) {
      // IAM looks principal tag keys up ignoring case.
      Map<String, String> tags = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      for (int i = 1; call.param("Tags.member." + i + ".Key") != null; i++) {
        tags.put(
            call.param("Tags.member." + i + ".Key"), call.param("Tags.member." + i + ".Value"));
      }
      return new Session(tags, Optional.ofNullable(call.param("SourceIdentity")), issuedAt);
    }
  }

  private DenyEvaluator() {}

  public static boolean denies(String document, Session session, Instant now) {
    for (JsonNode statement : statements(document)) {
      if ("Deny".equals(statement.path("Effect").asText())
          && everything(statement.path("Action"))
          && everything(statement.path("Resource"))
          && conditionsHold(statement.path("Condition"), session, now)) {
        return true;
      }
    }
    return false;
  }

  private static List<JsonNode> statements(String document) {
    try {
      JsonNode statements = JSON.readTree(document).path("Statement");
      List<JsonNode> out = new ArrayList<>();
      if (statements.isArray()) {
        statements.forEach(out::add);
      } else if (statements.isObject()) {
        out.add(statements);
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean everything(JsonNode field) {
    return values(field).contains("*");
  }

  private static boolean conditionsHold(JsonNode condition, Session session, Instant now) {
    for (Map.Entry<String, JsonNode> operator : condition.properties()) {
      for (Map.Entry<String, JsonNode> key : operator.getValue().properties()) {
        Optional<String> actual = value(key.getKey(), session, now);
        if (operator.getKey().equals("Null")) {
          // "true": the key must be absent; "false": present.
          if (actual.isEmpty() != Boolean.parseBoolean(key.getValue().asText())) {
            return false;
          }
        } else if (actual.isEmpty()
            || !holds(operator.getKey(), actual.get(), values(key.getValue()))) {
          return false;
        }
      }
    }
    return true;
  }

  private static boolean holds(String operator, String actual, List<String> wanted) {
    return switch (operator) {
      case "StringEquals" -> wanted.contains(actual);
      case "StringLike" -> wanted.stream().anyMatch(w -> glob(w).matcher(actual).matches());
      case "DateLessThan" ->
          wanted.stream().anyMatch(w -> Instant.parse(actual).isBefore(Instant.parse(w)));
      case "DateGreaterThan" ->
          wanted.stream().anyMatch(w -> Instant.parse(actual).isAfter(Instant.parse(w)));
      default -> throw new IllegalArgumentException("the evaluator does not know " + operator);
    };
  }

  /** IAM's StringLike: {@code *} any run of characters, {@code ?} exactly one. */
  private static Pattern glob(String wanted) {
    StringBuilder regex = new StringBuilder();
    for (char c : wanted.toCharArray()) {
      regex.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
    }
    return Pattern.compile(regex.toString(), Pattern.DOTALL);
  }

  private static Optional<String> value(String key, Session session, Instant now) {
    if (key.startsWith("aws:PrincipalTag/")) {
      return Optional.ofNullable(session.tags().get(key.substring("aws:PrincipalTag/".length())));
    }
    return switch (key) {
      case "aws:SourceIdentity" -> session.sourceIdentity();
      case "aws:TokenIssueTime" -> Optional.of(session.issuedAt().toString());
      case "aws:CurrentTime" -> Optional.of(now.toString());
      default -> throw new IllegalArgumentException("the evaluator does not know " + key);
    };
  }

  private static List<String> values(JsonNode node) {
    List<String> out = new ArrayList<>();
    if (node.isArray()) {
      node.forEach(v -> out.add(v.asText()));
    } else if (node.isTextual()) {
      out.add(node.asText());
    }
    return out;
  }
}
