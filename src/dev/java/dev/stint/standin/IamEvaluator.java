package dev.stint.standin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * How IAM decides a role session's request, for the parts of the policy language stint and the demo
 * write: an explicit {@code Deny} in any identity policy of the role or in the session policy
 * refuses; otherwise the request is allowed only when the role's policies allow it and, for a
 * session with a session policy, that policy allows it too (a session policy only narrows).
 *
 * <p>A statement applies when its {@code Action} (or {@code NotAction}) and {@code Resource} (or
 * {@code NotResource}) match, {@code *} and {@code ?} as wildcards (actions ignoring case), and
 * every condition holds: operators are ANDed, keys of one operator ANDed, values of one key ORed
 * (NORed for a negated operator). A key the request lacks makes an operator false, a negated one
 * true, an {@code …IfExists} one true, and {@code Null} asks exactly that. An action without
 * resource-level permissions is asked with resource {@code *}, which only {@code "*"} matches.
 *
 * <p>A stand-in must never allow what IAM would deny, so an operator or a key it does not know is
 * neither true nor false ({@link Truth#UNKNOWN}): such a {@code Deny} is taken to apply, such an
 * {@code Allow} not. The IAM reference's rules, not stint's own AWS code, so that it checks that
 * code rather than follows it.
 */
public final class IamEvaluator {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The two values {@code Null} takes. */
  private static final Set<String> BOOLEANS = Set.of("true", "false");

  /** The operators it decides (and their {@code …IfExists} forms). */
  private static final Set<String> OPERATORS =
      Set.of(
          "StringEquals",
          "StringNotEquals",
          "StringEqualsIgnoreCase",
          "StringNotEqualsIgnoreCase",
          "StringLike",
          "StringNotLike",
          "ArnEquals",
          "ArnNotEquals",
          "ArnLike",
          "ArnNotLike",
          "DateEquals",
          "DateNotEquals",
          "DateLessThan",
          "DateLessThanEquals",
          "DateGreaterThan",
          "DateGreaterThanEquals");

  /**
   * What IAM knows about a role session: its principal tags (keys looked up ignoring case), its
   * source identity, when its credentials were issued, and its {@code aws:userid} ({@code
   * ROLE_ID:SESSION_NAME}; empty where a test does not say).
   */
  public record Session(
      Map<String, String> tags,
      Optional<String> sourceIdentity,
      Instant issuedAt,
      Optional<String> userId,
      Optional<String> principalArn) {
    public Session {
      Map<String, String> caseless = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      caseless.putAll(tags);
      tags = caseless;
    }

    public Session(
        Map<String, String> tags,
        Optional<String> sourceIdentity,
        Instant issuedAt,
        Optional<String> userId) {
      this(tags, sourceIdentity, issuedAt, userId, Optional.empty());
    }

    public Session(Map<String, String> tags, Optional<String> sourceIdentity, Instant issuedAt) {
      this(tags, sourceIdentity, issuedAt, Optional.empty());
    }
  }

  /** One request: the action ({@code s3:GetObject}), the resource's ARN or {@code *}, and when. */
  public record Request(String action, String resource, Session session, Instant now) {}

  /** What IAM decides. */
  public enum Decision {
    ALLOW,
    /** A {@code Deny} statement applies: nothing can allow it. */
    EXPLICIT_DENY,
    /** No {@code Allow} applies (in the role's policies, or in the session policy). */
    IMPLICIT_DENY
  }

  /** A condition's outcome; {@link #UNKNOWN} for what this evaluator does not model. */
  public enum Truth {
    TRUE,
    FALSE,
    UNKNOWN
  }

  private IamEvaluator() {}

  /**
   * IAM's decision on {@code request} by a session of a role with {@code identityPolicies} (its
   * inline and attached managed policies' documents) and, when the session has one, its {@code
   * sessionPolicy}.
   */
  public static Decision decide(
      Request request, List<String> identityPolicies, Optional<String> sessionPolicy) {
    List<String> all = new ArrayList<>(identityPolicies);
    sessionPolicy.ifPresent(all::add);
    for (String document : all) {
      if (applies(document, "Deny", request, Truth.UNKNOWN)) {
        return Decision.EXPLICIT_DENY;
      }
    }
    boolean roleAllows =
        identityPolicies.stream().anyMatch(d -> applies(d, "Allow", request, Truth.FALSE));
    boolean sessionAllows =
        sessionPolicy.map(d -> applies(d, "Allow", request, Truth.FALSE)).orElse(true);
    return roleAllows && sessionAllows ? Decision.ALLOW : Decision.IMPLICIT_DENY;
  }

  /**
   * Whether {@code document} has a {@code Deny} of every action ({@code "Action": "*"}) on every
   * resource that applies to {@code session} at {@code now}: what a revocation deny must be.
   *
   * @throws IllegalArgumentException when such a statement has an operator or a key this evaluator
   *     does not know: a test must fail rather than guess
   */
  public static boolean deniesEverything(String document, Session session, Instant now) {
    Request any = new Request("*", "*", session, now);
    for (JsonNode statement : statements(document)) {
      if ("Deny".equals(statement.path("Effect").asText())
          && values(statement.path("Action")).contains("*")
          && values(statement.path("Resource")).contains("*")) {
        Truth truth = conditions(statement.path("Condition"), any);
        if (truth == Truth.UNKNOWN) {
          throw new IllegalArgumentException(
              "the evaluator does not know a condition of " + statement);
        }
        if (truth == Truth.TRUE) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Whether a statement of {@code effect} in {@code document} applies to {@code request}, a
   * condition this evaluator cannot decide counting as {@code unknown}.
   */
  private static boolean applies(String document, String effect, Request request, Truth unknown) {
    for (JsonNode statement : statements(document)) {
      if (effect.equals(statement.path("Effect").asText())
          && matches(statement, "Action", request.action(), true)
          && matches(statement, "Resource", request.resource(), false)) {
        Truth truth = conditions(statement.path("Condition"), request);
        if (truth == Truth.TRUE || (truth == Truth.UNKNOWN && unknown == Truth.UNKNOWN)) {
          return true;
        }
      }
    }
    return false;
  }

  /** {@code Action}/{@code NotAction} (or the resource pair) against the request's value. */
  private static boolean matches(JsonNode statement, String element, String asked, boolean action) {
    JsonNode listed = statement.path(element);
    JsonNode unlisted = statement.path("Not" + element);
    if (!listed.isMissingNode()) {
      return values(listed).stream().anyMatch(p -> covers(p, asked, action));
    }
    if (!unlisted.isMissingNode()) {
      return values(unlisted).stream().noneMatch(p -> covers(p, asked, action));
    }
    return false;
  }

  private static boolean covers(String pattern, String asked, boolean action) {
    if (!action && asked.equals("*")) {
      return pattern.equals("*");
    }
    return action
        ? like(pattern.toLowerCase(Locale.ROOT), asked.toLowerCase(Locale.ROOT))
        : like(pattern, asked);
  }

  /** Every operator, every key under it: all must hold. */
  static Truth conditions(JsonNode condition, Request request) {
    if (condition.isMissingNode()) {
      return Truth.TRUE;
    }
    if (!condition.isObject()) {
      return Truth.UNKNOWN;
    }
    Truth all = Truth.TRUE;
    for (Map.Entry<String, JsonNode> operator : condition.properties()) {
      // Keys under an operator, never a bare value: anything else is not a condition to guess at.
      if (!operator.getValue().isObject() || operator.getValue().isEmpty()) {
        return Truth.UNKNOWN;
      }
      for (Map.Entry<String, JsonNode> key : operator.getValue().properties()) {
        Truth one =
            condition(
                operator.getKey(), value(key.getKey(), request), values(key.getValue()), request);
        if (one == Truth.FALSE) {
          return Truth.FALSE;
        }
        if (one == Truth.UNKNOWN) {
          all = Truth.UNKNOWN;
        }
      }
    }
    return all;
  }

  /** One operator on one key, whose value is {@code actual} (null: absent; empty: unknown). */
  private static Truth condition(
      String operator, Optional<String> actual, List<String> wanted, Request request) {
    if (actual == null) {
      return Truth.UNKNOWN; // a key this evaluator does not model
    }
    // No value to compare, or a policy variable, which this evaluator does not fill in.
    if (wanted.isEmpty() || wanted.stream().anyMatch(w -> w.contains("${"))) {
      return Truth.UNKNOWN;
    }
    if (operator.equals("Null")) {
      return wanted.size() == 1 && BOOLEANS.contains(wanted.get(0))
          ? truth(actual.isEmpty() == Boolean.parseBoolean(wanted.get(0)))
          : Truth.UNKNOWN;
    }
    boolean ifExists = operator.endsWith("IfExists");
    String base = ifExists ? operator.substring(0, operator.length() - 8) : operator;
    boolean negated =
        base.startsWith("StringNot") || base.startsWith("DateNot") || base.startsWith("ArnNot");
    if (!OPERATORS.contains(base)) {
      return Truth.UNKNOWN;
    }
    if (actual.isEmpty()) {
      return truth(ifExists || negated);
    }
    Truth any = Truth.FALSE;
    for (String w : wanted) {
      Truth one = compare(negated ? base.replace("Not", "") : base, actual.get(), w);
      if (one == Truth.UNKNOWN) {
        return Truth.UNKNOWN;
      }
      if (one == Truth.TRUE) {
        any = Truth.TRUE;
      }
    }
    return negated ? truth(any == Truth.FALSE) : any;
  }

  /** A positive operator on one value; negations are applied by the caller. */
  private static Truth compare(String operator, String actual, String wanted) {
    return switch (operator) {
      case "StringEquals" -> truth(actual.equals(wanted));
      case "StringEqualsIgnoreCase" -> truth(actual.equalsIgnoreCase(wanted));
      // IAM matches an ARN's six parts one by one, each with these wildcards; an ARN's parts never
      // hold the colon that separates them, so matching it whole decides the same.
      case "StringLike", "ArnLike", "ArnEquals" -> truth(like(wanted, actual));
      case "DateEquals",
          "DateLessThan",
          "DateLessThanEquals",
          "DateGreaterThan",
          "DateGreaterThanEquals" ->
          date(operator, actual, wanted);
      default -> Truth.UNKNOWN;
    };
  }

  private static Truth date(String operator, String actual, String wanted) {
    Instant a;
    Instant w;
    try {
      a = Instant.parse(actual);
      w = Instant.parse(wanted);
    } catch (DateTimeParseException e) {
      return Truth.UNKNOWN; // epoch seconds and other forms IAM takes are not modelled
    }
    int c = a.compareTo(w);
    return truth(
        switch (operator) {
          case "DateEquals" -> c == 0;
          case "DateLessThan" -> c < 0;
          case "DateLessThanEquals" -> c <= 0;
          case "DateGreaterThan" -> c > 0;
          default -> c >= 0;
        });
  }

  /**
   * The request's value of {@code key} (names ignore case): present, empty when the request lacks
   * it, or null when this evaluator does not model the key.
   */
  private static Optional<String> value(String key, Request request) {
    String lower = key.toLowerCase(Locale.ROOT);
    Session session = request.session();
    if (lower.startsWith("aws:principaltag/")) {
      return Optional.ofNullable(session.tags().get(key.substring("aws:PrincipalTag/".length())));
    }
    return switch (lower) {
      case "aws:sourceidentity" -> session.sourceIdentity();
      case "aws:userid" -> session.userId();
      case "aws:principalarn" -> session.principalArn();
      case "aws:tokenissuetime" -> Optional.of(session.issuedAt().toString());
      case "aws:currenttime" -> Optional.of(request.now().toString());
      default -> null;
    };
  }

  private static Truth truth(boolean b) {
    return b ? Truth.TRUE : Truth.FALSE;
  }

  /**
   * IAM's wildcards: {@code *} any run of characters (none, or newlines too), {@code ?} exactly
   * one; every other character stands for itself. Matched directly rather than through a regular
   * expression: a revocation deny is judged against every revoked grant's condition, and compiling
   * a pattern per comparison made the stand-in's judging the slowest part of those tests.
   */
  static boolean like(String wanted, String actual) {
    int w = 0;
    int a = 0;
    int star = -1; // the pattern position after the last '*' seen
    int resume = 0; // where in actual that '*' is tried next
    while (a < actual.length()) {
      if (w < wanted.length() && wanted.charAt(w) == '*') {
        star = ++w;
        resume = a;
      } else if (w < wanted.length()
          && (wanted.charAt(w) == '?' || wanted.charAt(w) == actual.charAt(a))) {
        w++;
        a++;
      } else if (star >= 0) {
        // Let the last '*' take one more character and try the rest again from there.
        w = star;
        a = ++resume;
      } else {
        return false;
      }
    }
    while (w < wanted.length() && wanted.charAt(w) == '*') {
      w++;
    }
    return w == wanted.length();
  }

  private static List<JsonNode> statements(String document) {
    JsonNode statements;
    try {
      statements = JSON.readTree(document).path("Statement");
    } catch (IOException e) {
      throw new IllegalArgumentException("not a policy document", e);
    }
    List<JsonNode> out = new ArrayList<>();
    if (statements.isArray()) {
      statements.forEach(out::add);
    } else if (statements.isObject()) {
      out.add(statements);
    }
    return out;
  }

  private static List<String> values(JsonNode node) {
    List<String> out = new ArrayList<>();
    if (node.isArray()) {
      node.forEach(v -> out.add(v.asText()));
    } else if (node.isValueNode()) {
      out.add(node.asText());
    }
    return out;
  }
}
