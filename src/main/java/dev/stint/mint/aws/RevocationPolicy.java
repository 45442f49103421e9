package dev.stint.mint.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The stint-managed inline policy {@code stint-revocations} as pure data, rendered whole from a
 * {@link RoleDenies}. Revoked grants share two Deny statements, one listing their {@code
 * aws:PrincipalTag/stint:grant} values (every session stint minted for them) and one their {@code
 * aws:SourceIdentity} values (a session chained back into the role keeps the source identity but
 * not the tags). A cutoff adds two more that deny every stint session, tagged or chained, issued
 * before a time ({@code aws:TokenIssueTime}). Statements stint did not write are kept untouched;
 * statements of the earlier per-hour form ({@code StintU<end>…}) are kept until their end, unless a
 * cutoff lasting as long covers them.
 */
final class RevocationPolicy {
  static final String NAME = "stint-revocations";

  /** IAM's limit for a role's inline policies together, whitespace excluded. */
  static final int MAX_CHARS = 10_240;

  static final String TAG_KEY = "aws:PrincipalTag/" + AwsMinter.TAG_GRANT;
  static final String SOURCE_KEY = "aws:SourceIdentity";
  static final String ISSUED_KEY = "aws:TokenIssueTime";

  /**
   * Any stint source identity: sixteen characters naming the person, a dot, then a grant id or, for
   * a session under a CI rule, {@code ci_} and the rule.
   */
  static final List<String> STINT_SOURCES =
      List.of("????????????????.grt_*", "????????????????.ci_*");

  static final String GRANT_TAGS = "StintGrantTags";
  static final String GRANT_SOURCES = "StintGrantSources";
  static final String BEFORE_TAGS = "StintBeforeTags";
  static final String BEFORE_SOURCES = "StintBeforeSources";
  private static final Set<String> OURS =
      Set.of(GRANT_TAGS, GRANT_SOURCES, BEFORE_TAGS, BEFORE_SOURCES);

  /** The earlier form: "StintU{end epoch s}" then T, S or G{grant}. */
  private static final Pattern EARLIER = Pattern.compile("StintU(\\d+)(T|S|G[A-Za-z0-9]*)");

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * The document to write, its size as IAM counts it, how many earlier statements stay, and the
   * latest end among the earlier statements still in force (a cutoff must last that long to stand
   * for them).
   */
  record Rendered(
      String document, int characters, int earlierKept, Optional<Instant> latestEarlier) {}

  private RevocationPolicy() {}

  /**
   * The role's policy holding exactly {@code denies}, beside what others wrote.
   *
   * @throws IllegalStateException when the existing document is not a policy (nothing may be
   *     written then: an operator must look)
   */
  static Rendered render(Optional<String> existing, RoleDenies denies, Instant now) {
    ObjectNode policy = existing.map(RevocationPolicy::parse).orElseGet(RevocationPolicy::empty);
    List<JsonNode> kept = new ArrayList<>();
    int earlier = 0;
    Optional<Instant> latestEarlier = Optional.empty();
    for (JsonNode statement : policy.withArrayProperty("Statement")) {
      String sid = statement.path("Sid").asText("");
      Matcher old = EARLIER.matcher(sid);
      if (old.matches()) {
        Instant end = Instant.ofEpochSecond(Long.parseLong(old.group(1)));
        if (end.isAfter(now) && latestEarlier.map(end::isAfter).orElse(true)) {
          latestEarlier = Optional.of(end);
        }
        if (earlierNeeded(end, denies, now)) {
          kept.add(statement);
          earlier++;
        }
      } else if (!OURS.contains(sid)) {
        kept.add(statement);
      }
    }
    addGrants(kept, denies.grants());
    denies.cutoff().ifPresent(cutoff -> addCutoff(kept, cutoff.issuedBefore()));
    ArrayNode statements = policy.putArray("Statement");
    kept.forEach(statements::add);
    String document = policy.toString();
    return new Rendered(document, characters(document), earlier, latestEarlier);
  }

  /** Whether IAM already holds exactly {@code document}: then there is nothing to write. */
  static boolean unchanged(Optional<String> existing, String document) {
    try {
      return existing.isPresent() && JSON.readTree(existing.get()).equals(JSON.readTree(document));
    } catch (JsonProcessingException e) {
      return false;
    }
  }

  /** True when {@code document} holds every deny of {@code denies}. */
  static boolean covers(String document, RoleDenies denies) {
    ObjectNode policy = parse(document);
    for (RoleDenies.Denied d : denies.grants()) {
      if (d.sessionsAlive() && !listed(policy, GRANT_TAGS, TAG_KEY, d.tagValue())
          || !listed(policy, GRANT_SOURCES, SOURCE_KEY, d.sourceIdentity())) {
        return false;
      }
    }
    return denies
        .cutoff()
        .map(
            c ->
                before(policy, BEFORE_TAGS, c.issuedBefore())
                    && before(policy, BEFORE_SOURCES, c.issuedBefore()))
        .orElse(true);
  }

  /** What IAM counts against its limit: every character but whitespace. */
  static int characters(String document) {
    return (int) document.codePoints().filter(c -> !Character.isWhitespace(c)).count();
  }

  /** An earlier statement protects sessions until its end, unless a cutoff outlasts it. */
  private static boolean earlierNeeded(Instant end, RoleDenies denies, Instant now) {
    return end.isAfter(now) && denies.cutoff().map(c -> c.until().isBefore(end)).orElse(true);
  }

  private static void addGrants(List<JsonNode> statements, List<RoleDenies.Denied> grants) {
    if (grants.isEmpty()) {
      return;
    }
    ObjectNode tags = deny(GRANT_TAGS);
    ArrayNode tagValues = tags.putObject("Condition").putObject("StringEquals").putArray(TAG_KEY);
    ObjectNode sources = deny(GRANT_SOURCES);
    ArrayNode sourceValues =
        sources.putObject("Condition").putObject("StringEquals").putArray(SOURCE_KEY);
    grants.stream()
        .filter(RoleDenies.Denied::sessionsAlive)
        .map(RoleDenies.Denied::tagValue)
        .distinct()
        .forEach(tagValues::add);
    grants.stream().map(RoleDenies.Denied::sourceIdentity).distinct().forEach(sourceValues::add);
    if (!tagValues.isEmpty()) {
      statements.add(tags);
    }
    statements.add(sources);
  }

  private static void addCutoff(List<JsonNode> statements, Instant issuedBefore) {
    String at = issuedBefore.truncatedTo(ChronoUnit.SECONDS).toString();
    ObjectNode tags = deny(BEFORE_TAGS);
    ObjectNode tagged = tags.putObject("Condition");
    tagged.putObject("DateLessThan").put(ISSUED_KEY, at);
    tagged.putObject("Null").put(TAG_KEY, "false");
    ObjectNode sources = deny(BEFORE_SOURCES);
    ObjectNode chained = sources.putObject("Condition");
    chained.putObject("DateLessThan").put(ISSUED_KEY, at);
    ArrayNode like = chained.putObject("StringLike").putArray(SOURCE_KEY);
    STINT_SOURCES.forEach(like::add);
    statements.add(tags);
    statements.add(sources);
  }

  private static ObjectNode deny(String sid) {
    ObjectNode s = JSON.createObjectNode();
    s.put("Sid", sid);
    s.put("Effect", "Deny");
    s.put("Action", "*");
    s.put("Resource", "*");
    return s;
  }

  private static boolean listed(ObjectNode policy, String sid, String key, String value) {
    return statement(policy, sid)
        .map(s -> values(s.path("Condition").path("StringEquals").path(key)).contains(value))
        .orElse(false);
  }

  private static boolean before(ObjectNode policy, String sid, Instant issuedBefore) {
    String at = issuedBefore.truncatedTo(ChronoUnit.SECONDS).toString();
    return statement(policy, sid)
        .map(s -> at.equals(s.path("Condition").path("DateLessThan").path(ISSUED_KEY).asText()))
        .orElse(false);
  }

  private static Optional<JsonNode> statement(ObjectNode policy, String sid) {
    for (JsonNode s : policy.withArrayProperty("Statement")) {
      if (sid.equals(s.path("Sid").asText()) && "Deny".equals(s.path("Effect").asText())) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  /** A condition's values: IAM takes a single string or a list. */
  private static List<String> values(JsonNode node) {
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
    throw new IllegalStateException(
        "the existing "
            + NAME
            + " policy is not a policy document "
            + "with a Statement list; fix or delete it");
  }
}
