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
 * The stint-managed inline policy {@code stint-revocations} as pure data. Revoked grants are
 * grouped by the hour until which their sessions may live; each group is two Deny statements,
 * one matching {@code aws:PrincipalTag/stint:grant} (every session stint minted for the grant)
 * and one matching {@code aws:SourceIdentity} (a session chained back into the role, which keeps
 * the source identity but not the tags), each with a {@code StringEquals} list of values.
 *
 * <p>There is no {@code aws:TokenIssueTime} bound: a revoked grant may never mint again, so every
 * session carrying its tag should stop, including one STS issued while the revocation was
 * committing. Sids encode the group's end so merging prunes; statements stint did not write
 * are kept untouched.
 */
final class RevocationPolicy {
  static final String NAME = "stint-revocations";
  /** IAM's limit for a role's inline policies, whitespace excluded. */
  static final int MAX_CHARS = 10_240;
  /** No STS session lives longer than this, so a deny older than it protects nothing. */
  static final Duration MAX_SESSION = Duration.ofHours(12);
  /** A session minted while the revocation was committing starts a little after it. */
  static final Duration MINT_SLACK = Duration.ofHours(1);
  /**
   * How long a grant's sessions may outlive it: a session raised to STS's minimum ends up to
   * that minimum after the grant (its session policy denies it from the grant's end, but a
   * session chained from it does not carry that policy), and a chained session lives up to an
   * hour more.
   */
  static final Duration AFTER_GRANT = Duration.ofHours(2);
  static final String TAG_KEY = "aws:PrincipalTag/" + AwsMinter.TAG_GRANT;
  static final String SOURCE_KEY = "aws:SourceIdentity";
  /**
   * Sids allow only [A-Za-z0-9]: "StintU{end epoch s}T" (tags) and "...S" (source identities);
   * "StintU{end}G{grant}" is the older one-statement-per-person form, still pruned.
   */
  private static final Pattern SID = Pattern.compile("StintU(\\d+)(T|S|G[A-Za-z0-9]*)");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The merged document and how many stint statements it holds / it pruned. */
  record Merged(String document, int live, int pruned) {}

  private RevocationPolicy() {}

  /**
   * Adds the grant to its group's denies and prunes groups whose sessions have all ended.
   *
   * @throws IllegalStateException when the existing document is not a policy or the result would
   *     exceed IAM's size limit (nothing may be written then)
   */
  static Merged merge(Optional<String> existing, AwsRevocation revocation, Instant now) {
    ObjectNode policy = existing.map(RevocationPolicy::parse).orElseGet(RevocationPolicy::empty);
    List<JsonNode> kept = new ArrayList<>();
    int pruned = 0;
    for (JsonNode statement : policy.withArrayProperty("Statement")) {
      Matcher sid = SID.matcher(statement.path("Sid").asText(""));
      if (sid.matches() && !Instant.ofEpochSecond(Long.parseLong(sid.group(1))).isAfter(now)) {
        pruned++;
      } else {
        kept.add(statement);
      }
    }
    Instant end = end(revocation);
    add(kept, sid(end, "T"), TAG_KEY, revocation.tagValue());
    add(kept, sid(end, "S"), SOURCE_KEY, revocation.sourceIdentity());
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

  /** True when {@code document} denies the grant's tagged and its chained sessions long enough. */
  static boolean covers(String document, AwsRevocation revocation) {
    Instant needed = end(revocation);
    return denies(document, TAG_KEY, revocation.tagValue(), needed)
        && denies(document, SOURCE_KEY, revocation.sourceIdentity(), needed);
  }

  /**
   * The hour after which no session of the grant can be alive: the longest session from the
   * revocation, or sooner, the grant's end plus {@link #AFTER_GRANT}.
   */
  static Instant end(AwsRevocation revocation) {
    Instant byRevocation = revocation.revokedAt().plus(MAX_SESSION).plus(MINT_SLACK);
    Instant byGrant = revocation.grantEndsAt().plus(AFTER_GRANT);
    Instant last = byGrant.isBefore(byRevocation) ? byGrant : byRevocation;
    Instant hour = last.truncatedTo(ChronoUnit.HOURS);
    return hour.equals(last) ? hour : hour.plus(Duration.ofHours(1));
  }

  static String sid(Instant end, String kind) {
    return "StintU" + end.getEpochSecond() + kind;
  }

  private static boolean denies(String document, String key, String value, Instant needed) {
    for (JsonNode statement : parse(document).withArrayProperty("Statement")) {
      Matcher sid = SID.matcher(statement.path("Sid").asText(""));
      if (sid.matches() && !Instant.ofEpochSecond(Long.parseLong(sid.group(1))).isBefore(needed)
          && "Deny".equals(statement.path("Effect").asText())
          && values(statement, key).contains(value)) {
        return true;
      }
    }
    return false;
  }

  /** Adds {@code value} to the statement {@code sid}, creating it when the group is new. */
  private static void add(List<JsonNode> statements, String sid, String key, String value) {
    for (JsonNode s : statements) {
      if (sid.equals(s.path("Sid").asText()) && s instanceof ObjectNode statement) {
        List<String> values = values(statement, key);
        if (!values.contains(value)) {
          ArrayNode list = statement.withObjectProperty("Condition")
              .withObjectProperty("StringEquals").putArray(key);
          values.forEach(list::add);
          list.add(value);
        }
        return;
      }
    }
    ObjectNode s = JSON.createObjectNode();
    s.put("Sid", sid);
    s.put("Effect", "Deny");
    s.put("Action", "*");
    s.put("Resource", "*");
    s.putObject("Condition").putObject("StringEquals").putArray(key).add(value);
    statements.add(s);
  }

  /** A condition's values: IAM takes a single string or a list. */
  private static List<String> values(JsonNode statement, String key) {
    JsonNode node = statement.path("Condition").path("StringEquals").path(key);
    List<String> out = new ArrayList<>();
    if (node.isTextual()) {
      out.add(node.asText());
    } else if (node.isArray()) {
      node.forEach(v -> out.add(v.asText()));
    }
    return out;
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
