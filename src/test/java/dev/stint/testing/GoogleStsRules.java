package dev.stint.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stint.testing.FakeHttpsEndpoint.Call;
import java.io.IOException;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What Google STS {@code POST /v1/token} refuses, from its public reference
 * (cloud.google.com/iam/docs/reference/sts/rest/v1/TopLevel/token and its {@code Options}): the RFC
 * 8693 fields it requires, an external credential without its audience and scope, and a Google
 * access token exchanged without a valid Credential Access Boundary in {@code options}. Each
 * refusal is answered in STS's OAuth error shape, {@code {"error", "error_description"}}.
 */
final class GoogleStsRules {
  static final String GRANT_TYPE = "urn:ietf:params:oauth:grant-type:token-exchange";
  static final String ACCESS_TOKEN = "urn:ietf:params:oauth:token-type:access_token";
  static final int MAX_OPTIONS_CHARS = 2048;
  static final int MAX_RULES = 10;

  private static final Set<String> EXTERNAL_TYPES =
      Set.of(
          "urn:ietf:params:oauth:token-type:jwt",
          "urn:ietf:params:oauth:token-type:id_token",
          "urn:ietf:params:oauth:token-type:saml2",
          "urn:ietf:params:aws:token-type:aws4_request");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** STS's answer to a refused exchange. */
  record Refusal(int status, String error, String description) {
    FakeHttpsEndpoint.Answer answer() {
      return FakeHttpsEndpoint.Answer.json(
          status,
          JSON.createObjectNode()
              .put("error", error)
              .put("error_description", description)
              .toString());
    }

    static Optional<Refusal> invalidRequest(String description) {
      return Optional.of(new Refusal(400, "invalid_request", description));
    }
  }

  private GoogleStsRules() {}

  /**
   * Why STS refuses {@code call}, or empty.
   *
   * @param liveToken whether a Google access token is one Google issued and has not expired
   */
  static Optional<Refusal> refusal(Call call, Predicate<String> liveToken) {
    if (call.header("authorization") != null) {
      // The reference: the method takes no Authorization header, and sending one can fail it.
      return Refusal.invalidRequest("The request must not carry an Authorization header.");
    }
    if (!GRANT_TYPE.equals(call.form("grant_type"))) {
      return Optional.of(
          new Refusal(400, "unsupported_grant_type", "Unsupported grant type: " + grant(call)));
    }
    if (!ACCESS_TOKEN.equals(call.form("requested_token_type"))) {
      return Refusal.invalidRequest("Invalid requested_token_type.");
    }
    String type = call.form("subject_token_type");
    String token = call.form("subject_token");
    if (type == null || !(EXTERNAL_TYPES.contains(type) || ACCESS_TOKEN.equals(type))) {
      return Refusal.invalidRequest("Invalid subject_token_type.");
    }
    if (token == null || token.isEmpty()) {
      return Refusal.invalidRequest("subject_token is required.");
    }
    if (EXTERNAL_TYPES.contains(type)) {
      return external(call);
    }
    if (!liveToken.test(token)) {
      return Optional.of(
          new Refusal(400, "invalid_grant", "The subject token is invalid or has expired."));
    }
    return boundaryRefusal(call.form("options"));
  }

  /** The {@code accessBoundary} of a call's {@code options}, when they hold one. */
  static Optional<JsonNode> accessBoundary(Call call) {
    return options(call.form("options")).map(o -> o.get("accessBoundary"));
  }

  private static Optional<Refusal> external(Call call) {
    if (call.form("audience") == null || call.form("audience").isEmpty()) {
      return Refusal.invalidRequest("audience is required for an external credential.");
    }
    if (call.form("scope") == null || call.form("scope").isBlank()) {
      return Refusal.invalidRequest("scope is required for an external credential.");
    }
    return Optional.empty();
  }

  /** A Google access token is exchanged to apply a Credential Access Boundary: it must be valid. */
  private static Optional<Refusal> boundaryRefusal(String options) {
    if (options == null || options.isEmpty()) {
      return Refusal.invalidRequest("options with an accessBoundary are required.");
    }
    if (options.length() > MAX_OPTIONS_CHARS) {
      return Refusal.invalidRequest("options exceed " + MAX_OPTIONS_CHARS + " characters.");
    }
    Optional<JsonNode> parsed = options(options);
    if (parsed.isEmpty()) {
      return Refusal.invalidRequest("options must be a JSON object.");
    }
    JsonNode boundary = parsed.get().get("accessBoundary");
    if (boundary == null || !boundary.isObject()) {
      return Refusal.invalidRequest("options.accessBoundary is required.");
    }
    JsonNode rules = boundary.get("accessBoundaryRules");
    if (rules == null || !rules.isArray() || rules.isEmpty()) {
      return Refusal.invalidRequest("accessBoundaryRules must not be empty.");
    }
    if (rules.size() > MAX_RULES) {
      return Refusal.invalidRequest(
          "The access boundary has "
              + rules.size()
              + " rules; at most "
              + MAX_RULES
              + " are allowed.");
    }
    for (JsonNode rule : rules) {
      Optional<Refusal> refused = ruleRefusal(rule);
      if (refused.isPresent()) {
        return refused;
      }
    }
    return Optional.empty();
  }

  private static Optional<Refusal> ruleRefusal(JsonNode rule) {
    JsonNode resource = rule.get("availableResource");
    if (resource == null || !resource.isTextual() || resource.asText().isEmpty()) {
      return Refusal.invalidRequest("availableResource is required in each rule.");
    }
    JsonNode permissions = rule.get("availablePermissions");
    if (permissions == null || !permissions.isArray() || permissions.isEmpty()) {
      return Refusal.invalidRequest("availablePermissions is required in each rule.");
    }
    for (JsonNode p : permissions) {
      if (!p.isTextual() || !p.asText().startsWith("inRole:")) {
        return Refusal.invalidRequest("availablePermissions must be of the form inRole:ROLE.");
      }
    }
    JsonNode condition = rule.get("availabilityCondition");
    if (condition != null && !condition.path("expression").isTextual()) {
      return Refusal.invalidRequest("availabilityCondition.expression is required.");
    }
    return Optional.empty();
  }

  private static Optional<JsonNode> options(String options) {
    if (options == null) {
      return Optional.empty();
    }
    try {
      JsonNode node = JSON.readTree(options);
      return node != null && node.isObject() ? Optional.of(node) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static String grant(Call call) {
    String grant = call.form("grant_type");
    return grant == null ? "(none)" : grant;
  }
}
