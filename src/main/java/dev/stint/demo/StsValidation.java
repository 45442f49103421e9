package dev.stint.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** The parameter checks STS makes before it looks at permissions (see {@link StsStandIn}). */
final class StsValidation {
  private static final Pattern NAME = Pattern.compile("[\\w+=,.@-]{2,64}");
  private static final Pattern TAG = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*");
  private static final int MAX_TAGS = 50;
  private static final ObjectMapper JSON = new ObjectMapper();

  private StsValidation() {}

  /** What is wrong with the request, in STS's words, or null when nothing is. */
  static String problem(Map<String, String> params) {
    String session = params.get("RoleSessionName");
    if (session == null || !NAME.matcher(session).matches()) {
      return constraint("roleSessionName", "[\\w+=,.@-]{2,64}");
    }
    String source = params.get("SourceIdentity");
    if (source != null && !validSourceIdentity(source)) {
      return constraint("sourceIdentity", "[\\w+=,.@-]{2,64}, not starting with aws:");
    }
    String duration = params.get("DurationSeconds");
    if (duration != null && !validDuration(duration)) {
      return constraint("durationSeconds", "a number from 900 to 43200");
    }
    String token = params.get("WebIdentityToken");
    return token != null ? tokenProblem(token) : tagProblem(params);
  }

  private static boolean validSourceIdentity(String source) {
    return NAME.matcher(source).matches() && !source.toLowerCase(Locale.ROOT).startsWith("aws:");
  }

  /**
   * A web identity token's source identity and session tags ride in its claims; STS checks them as
   * it checks the parameters (the stand-in does not verify the signature).
   */
  private static String tokenProblem(String token) {
    String[] parts = token.split("\\.");
    JsonNode claims;
    try {
      claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
    } catch (IOException | RuntimeException e) {
      return "The web identity token that was passed could not be validated by AWS.";
    }
    JsonNode source = claims.path("https://aws.amazon.com/source_identity");
    if (!source.isMissingNode() && !validSourceIdentity(source.asText())) {
      return "The source identity in the web identity token is not valid.";
    }
    Map<String, String> tags = new LinkedHashMap<>();
    int i = 1;
    for (Map.Entry<String, JsonNode> tag :
        claims.path("https://aws.amazon.com/tags").path("principal_tags").properties()) {
      tags.put("Tags.member." + i + ".Key", tag.getKey());
      tags.put("Tags.member." + i + ".Value", tag.getValue().path(0).asText());
      i++;
    }
    return tagProblem(tags);
  }

  private static String tagProblem(Map<String, String> params) {
    Set<String> keys = new HashSet<>();
    for (int i = 1; params.containsKey("Tags.member." + i + ".Key"); i++) {
      String key = params.get("Tags.member." + i + ".Key");
      String value = params.getOrDefault("Tags.member." + i + ".Value", "");
      if (i > MAX_TAGS) {
        return "the number of session tags exceeds " + MAX_TAGS;
      }
      if (key.isEmpty()
          || key.length() > 128
          || !TAG.matcher(key).matches()
          || key.toLowerCase(Locale.ROOT).startsWith("aws:")) {
        return constraint(
            "tags." + i + ".member.key", "1 to 128 of [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]");
      }
      if (value.length() > 256 || !TAG.matcher(value).matches()) {
        return constraint(
            "tags." + i + ".member.value", "0 to 256 of [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]");
      }
      if (!keys.add(key.toLowerCase(Locale.ROOT))) {
        return "Duplicate tag keys found. Please note that Tag keys are case insensitive.";
      }
    }
    return null;
  }

  private static boolean validDuration(String duration) {
    try {
      int seconds = Integer.parseInt(duration);
      return seconds >= 900 && seconds <= 43_200;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static String constraint(String field, String rule) {
    return "1 validation error detected: Value at '"
        + field
        + "' failed to satisfy constraint: "
        + "Member must be "
        + rule;
  }
}
