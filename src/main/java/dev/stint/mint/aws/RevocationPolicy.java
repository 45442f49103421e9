package dev.stint.mint.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The stint-managed inline policy {@code stint-revocations} as pure data: one Deny statement per
 * revoked source identity, for tokens issued before the revocation. Each statement's {@code Sid}
 * encodes the time after which no such session can be alive (revocation + STS's 12 h maximum),
 * so merging also prunes. Statements stint did not write are kept untouched.
 */
final class RevocationPolicy {
  static final String NAME = "stint-revocations";
  /** IAM's limit for a role's inline policies, whitespace excluded. */
  static final int MAX_CHARS = 10_240;
  /** No STS session lives longer than this, so a deny older than it protects nothing. */
  static final Duration MAX_SESSION = Duration.ofHours(12);
  /** Sids allow only [A-Za-z0-9]: "StintU{expiry epoch s}G{grant id, alphanumerics}". */
  private static final Pattern SID = Pattern.compile("StintU(\\d+)G([A-Za-z0-9]*)");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The merged document and how many stint statements it holds / it pruned. */
  record Merged(String document, int live, int pruned) {}

  private RevocationPolicy() {}

  /**
   * Adds (or tightens) the deny for {@code revocation}, prunes expired stint statements.
   *
   * @throws IllegalStateException when the existing document is not a policy or the result would
   *     exceed IAM's size limit (nothing may be written then)
   */
  static Merged merge(Optional<String> existing, AwsRevocation revocation, Instant now) {
    ObjectNode policy = existing.map(RevocationPolicy::parse).orElseGet(RevocationPolicy::empty);
    List<JsonNode> kept = new ArrayList<>();
    int pruned = 0;
    Instant issuedBefore = ceilToSecond(revocation.revokedAt());
    Instant until = issuedBefore.plus(MAX_SESSION);
    for (JsonNode statement : policy.withArrayProperty("Statement")) {
      Matcher sid = SID.matcher(statement.path("Sid").asText(""));
      if (!sid.matches()) {
        kept.add(statement);
      } else if (!Instant.ofEpochSecond(Long.parseLong(sid.group(1))).isAfter(now)) {
        pruned++;
      } else if (revocation.sourceIdentity().equals(sourceIdentity(statement))) {
        // The same person revoked again: one statement with the later cut-off covers both.
        Instant earlier = Instant.parse(statement.at("/Condition/DateLessThan/aws:TokenIssueTime").asText());
        if (earlier.isAfter(issuedBefore)) {
          issuedBefore = earlier;
          until = Instant.ofEpochSecond(Long.parseLong(sid.group(1)));
        }
      } else {
        kept.add(statement);
      }
    }
    kept.add(statement(revocation, issuedBefore, until));
    ArrayNode statements = policy.putArray("Statement");
    kept.forEach(statements::add);
    String document = policy.toString();
    if (document.length() > MAX_CHARS) {
      throw new IllegalStateException("the " + NAME + " policy would exceed IAM's " + MAX_CHARS
          + "-character limit (" + document.length() + " characters)");
    }
    long live = kept.stream().filter(s -> SID.matcher(s.path("Sid").asText("")).matches()).count();
    return new Merged(document, (int) live, pruned);
  }

  /** The Sid stint writes for a revocation (grant ids keep only their alphanumerics). */
  static String sid(String grantId, Instant until) {
    String grant = grantId.replaceAll("[^A-Za-z0-9]", "");
    return "StintU" + until.getEpochSecond() + "G" + grant.substring(0, Math.min(grant.length(), 64));
  }

  /** True when {@code document} denies the identity's tokens issued before {@code issuedBefore}. */
  static boolean covers(String document, AwsRevocation revocation) {
    Instant wanted = ceilToSecond(revocation.revokedAt());
    for (JsonNode statement : parse(document).withArrayProperty("Statement")) {
      if (SID.matcher(statement.path("Sid").asText("")).matches()
          && revocation.sourceIdentity().equals(sourceIdentity(statement))
          && !Instant.parse(statement.at("/Condition/DateLessThan/aws:TokenIssueTime").asText())
              .isBefore(wanted)) {
        return true;
      }
    }
    return false;
  }

  private static ObjectNode statement(AwsRevocation revocation, Instant issuedBefore, Instant until) {
    ObjectNode s = JSON.createObjectNode();
    s.put("Sid", sid(revocation.grantId(), until));
    s.put("Effect", "Deny");
    s.put("Action", "*");
    s.put("Resource", "*");
    ObjectNode condition = s.putObject("Condition");
    condition.putObject("StringEquals").put("aws:SourceIdentity", revocation.sourceIdentity());
    condition.putObject("DateLessThan").put("aws:TokenIssueTime", issuedBefore.toString());
    return s;
  }

  private static String sourceIdentity(JsonNode statement) {
    return statement.at("/Condition/StringEquals/aws:SourceIdentity").asText(null);
  }

  /** A session issued in the same second as the revocation must be covered too. */
  private static Instant ceilToSecond(Instant t) {
    Instant floor = t.truncatedTo(ChronoUnit.SECONDS);
    return floor.equals(t) ? t : floor.plusSeconds(1);
  }

  private static ObjectNode empty() {
    ObjectNode policy = JSON.createObjectNode();
    policy.put("Version", "2012-10-17");
    policy.putArray("Statement");
    return policy;
  }

  private static ObjectNode parse(String document) {
    try {
      JsonNode node = JSON.readTree(document);
      if (node instanceof ObjectNode object && node.path("Statement").isArray()) {
        return object;
      }
    } catch (JsonProcessingException e) {
      // reported below without the parser's detail, which may quote the document
    }
    throw new IllegalStateException("the existing " + NAME + " policy is not a policy document "
        + "with a Statement list; fix or delete it");
  }
}
