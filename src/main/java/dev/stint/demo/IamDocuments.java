package dev.stint.demo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The checks IAM makes on an inline policy document (see {@link IamStandIn}). */
final class IamDocuments {
  /** IAM's limit for all of one role's inline policies together, whitespace excluded. */
  static final int MAX_ROLE_INLINE = 10_240;

  private static final ObjectMapper JSON = new ObjectMapper();

  private IamDocuments() {}

  /** What IAM would call malformed about the document, or null. */
  static String malformed(String document) {
    if (document == null || document.isEmpty()) {
      return "Syntax errors in policy.";
    }
    JsonNode policy;
    try {
      policy = JSON.readTree(document);
    } catch (JsonProcessingException e) {
      return "Syntax errors in policy.";
    }
    JsonNode statements = policy.path("Statement");
    if (!policy.path("Version").isTextual() || !(statements.isArray() || statements.isObject())) {
      return "Syntax errors in policy.";
    }
    for (JsonNode s : statements.isArray() ? statements : JSON.createArrayNode().add(statements)) {
      if (s.has("Sid") && !s.path("Sid").asText().matches("[A-Za-z0-9]*")) {
        return "Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the "
            + "regular expression [0-9A-Za-z]*";
      }
      if (!s.path("Effect").isTextual()) {
        return "Missing required field Effect";
      }
    }
    return null;
  }

  /** The size IAM counts: every character but whitespace. */
  static int size(String document) {
    return (int) document.chars().filter(c -> !Character.isWhitespace(c)).count();
  }
}
