package dev.stint.mint.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The statements of stint's revocation denies as pure data: the inline policy {@code
 * stint-revocations} and, when it is full, stint's customer managed policies on the role ({@link
 * DenyLayout}).
 *
 * <p>One entry per revoked grant: {@code StringLike aws:SourceIdentity "*.grt_<id>"}, every entry
 * of a document in one Deny statement ({@code StintGrantSources}). Every session stint hands out
 * carries the grant's source identity: {@code AssumeRole} sets it, {@code web_identity} sets it
 * from the token's claim, a console link signs in with such a session, and STS keeps a source
 * identity through role chaining, where the {@code stint:grant} tag (not transitive) is lost. So
 * the source identity alone reaches every session of the grant, direct or chained, and the tag
 * statement of earlier releases ({@code StintGrantTags}) is no longer written: it doubled each
 * grant's cost and reached nothing the source identity does not. The person part of the value is
 * left to the wildcard: the grant id is unique, and the entry is 33 characters instead of 48. A
 * task lease's sessions name the lease instead ({@code PERSON.lse_<id>}), so that the lease can be
 * revoked alone: its entry is {@code *.lse_<id>}, as compact and as unique. Any other source
 * identity that does not end with its grant id (none stint writes) is listed whole.
 *
 * <p>A person whose revoked grants do not fit one by one is collapsed to two statements ({@code
 * StintPerson<hash>}: every session of that person issued before a time; {@code
 * StintChained<hash>}: their untagged, that is chained, sessions), which cut that person's sessions
 * only. A role-wide cutoff adds two more that deny every stint session, tagged or chained, issued
 * before a time ({@code aws:TokenIssueTime}): the last resort. Statements stint did not write are
 * kept untouched (a revoked IAM Identity Center grant's portal sessions are denied elsewhere,
 * {@link PortalPolicy}: AWS refuses every write to the role Identity Center provisions); statements
 * of the earlier per-hour form ({@code StintU<end>…}) are kept until their end, unless a cutoff
 * lasting as long covers them.
 */
final class RevocationPolicy {
  static final String NAME = "stint-revocations";

  /** IAM's limit for a role's inline policies together, whitespace excluded. */
  static final int MAX_CHARS = 10_240;

  /** IAM's limit for one managed policy, whitespace excluded. */
  static final int MAX_MANAGED_CHARS = 6_144;

  static final String TAG_KEY = "aws:PrincipalTag/" + AwsMinter.TAG_GRANT;
  static final String SOURCE_KEY = "aws:SourceIdentity";
  static final String ISSUED_KEY = "aws:TokenIssueTime";

  /**
   * Any stint source identity: sixteen characters naming the person, a dot, then a grant id, a
   * lease id or, for a session under a CI rule, {@code ci_} and the rule.
   */
  static final List<String> STINT_SOURCES =
      List.of("????????????????.grt_*", "????????????????.lse_*", "????????????????.ci_*");

  /** What a person's chained sessions name after the person: a grant or a lease, never CI. */
  static final List<String> PERSON_TAILS = List.of(".grt_*", ".lse_*");

  static final String GRANT_TAGS = "StintGrantTags";
  static final String GRANT_SOURCES = "StintGrantSources";
  static final String BEFORE_TAGS = "StintBeforeTags";
  static final String BEFORE_SOURCES = "StintBeforeSources";
  static final String PERSON = "StintPerson";
  static final String CHAINED = "StintChained";
  static final String USER_KEY = "aws:userid";
  private static final Set<String> OURS =
      Set.of(GRANT_TAGS, GRANT_SOURCES, BEFORE_TAGS, BEFORE_SOURCES);
  static final Pattern PERSON_SID = Pattern.compile("(StintPerson|StintChained)(\\w+)");

  /** The earlier form: "StintU{end epoch s}" then T, S or G{grant}. */
  private static final Pattern EARLIER = Pattern.compile("StintU(\\d+)(T|S|G[A-Za-z0-9]*)");

  private static final Pattern PLAIN_ID = Pattern.compile("[A-Za-z0-9_]+");
  private static final Pattern LEASE_ID = Pattern.compile("lse_[a-z2-7]{24}");
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * The document to write, its size as IAM counts it, how many earlier statements stay, and the
   * latest end among the earlier statements still in force (a cutoff must last that long to stand
   * for them).
   */
  record Rendered(
      String document, int characters, int earlierKept, Optional<Instant> latestEarlier) {}

  /**
   * What stays of the inline document whatever grants it holds: everyone else's statements, the
   * earlier per-hour ones still needed, and the role-wide cutoff.
   */
  record Base(ObjectNode policy, int earlierKept, Optional<Instant> latestEarlier) {}

  private RevocationPolicy() {}

  /**
   * The inline policy holding exactly {@code denies}, beside what others wrote: every deny in one
   * document (a role without managed policies of stint's).
   *
   * @throws IllegalStateException when the existing document is not a policy (nothing may be
   *     written then: an operator must look)
   */
  static Rendered render(Optional<String> existing, RoleDenies denies, Instant now) {
    Base base = base(existing, denies, now);
    String document = render(base.policy(), items(denies));
    return new Rendered(document, characters(document), base.earlierKept(), base.latestEarlier());
  }

  /** The inline document's part that is not a grant's or a person's, from what IAM holds. */
  static Base base(Optional<String> existing, RoleDenies denies, Instant now) {
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
      } else if (!ours(sid)) {
        kept.add(statement);
      }
    }
    denies.cutoff().ifPresent(cutoff -> addCutoff(kept, cutoff.issuedBefore()));
    ArrayNode statements = policy.putArray("Statement");
    kept.forEach(statements::add);
    return new Base(policy, earlier, latestEarlier);
  }

  /** An empty managed policy document of stint's, to place items in. */
  static ObjectNode managedBase() {
    return empty();
  }

  /** Every item {@code denies} asks to be named: its grants' entries, then its persons. */
  static List<DenyItem> items(RoleDenies denies) {
    Set<DenyItem> out = new LinkedHashSet<>();
    denies.grants().forEach(g -> out.add(new DenyItem.Grant(entry(g))));
    denies.persons().forEach(p -> out.add(new DenyItem.Person(p)));
    return List.copyOf(out);
  }

  /**
   * A grant's entry: {@code *.<grant id>}, or {@code *.<lease id>} for a lease's sessions, or the
   * whole source identity when it ends with neither.
   */
  static String entry(RoleDenies.Denied d) {
    String source = d.sourceIdentity();
    int dot = source.lastIndexOf('.');
    String tail = source.substring(dot + 1);
    boolean grant = tail.equals(d.grantId()) && PLAIN_ID.matcher(tail).matches();
    return dot >= 0 && (grant || LEASE_ID.matcher(tail).matches()) ? "*." + tail : source;
  }

  /** {@code base} with {@code items} added (a copy; {@code base} is left as it was). */
  static String render(ObjectNode base, Collection<DenyItem> items) {
    ObjectNode policy = base.deepCopy();
    ArrayNode statements = policy.withArrayProperty("Statement");
    ArrayNode entries = null;
    for (DenyItem item : items) {
      if (item instanceof DenyItem.Grant g) {
        if (entries == null) {
          ObjectNode sources = deny(GRANT_SOURCES);
          entries = sources.putObject("Condition").putObject("StringLike").putArray(SOURCE_KEY);
          statements.add(sources);
        }
        entries.add(g.entry());
      } else if (item instanceof DenyItem.Person p) {
        personStatements(p.cutoff()).forEach(statements::add);
      }
    }
    return policy.toString();
  }

  /** What IAM counts against its limit: every character but whitespace. */
  static int characters(String document) {
    return (int) document.codePoints().filter(c -> !Character.isWhitespace(c)).count();
  }

  /** A document's statements as IAM reads them, for the layout to measure. */
  static int statements(ObjectNode policy) {
    return policy.withArrayProperty("Statement").size();
  }

  /**
   * What adding one item costs a document, as IAM counts it: a grant's entry in the shared list
   * (the list's statement with it when it is the document's first), a person's two statements.
   */
  static int cost(DenyItem item, boolean firstGrant, boolean firstStatement) {
    if (item instanceof DenyItem.Grant g) {
      if (!firstGrant) {
        return g.entry().length() + 3;
      }
      ObjectNode sources = deny(GRANT_SOURCES);
      sources.putObject("Condition").putObject("StringLike").putArray(SOURCE_KEY).add(g.entry());
      return characters(sources.toString()) + (firstStatement ? 0 : 1);
    }
    DenyItem.Person p = (DenyItem.Person) item;
    int chars = 0;
    for (ObjectNode s : personStatements(p.cutoff())) {
      chars += characters(s.toString()) + 1;
    }
    return chars - (firstStatement ? 1 : 0);
  }

  private static boolean ours(String sid) {
    return OURS.contains(sid) || PERSON_SID.matcher(sid).matches();
  }

  /** An earlier statement protects sessions until its end, unless a cutoff outlasts it. */
  private static boolean earlierNeeded(Instant end, RoleDenies denies, Instant now) {
    return end.isAfter(now) && denies.cutoff().map(c -> c.until().isBefore(end)).orElse(true);
  }

  /**
   * A person's sessions issued before the time, and their chained ones (no tag: STS drops it on
   * chaining) whenever issued, until stint drops the statements: the latter stand in for the
   * collapsed grants' entries, which a session chained back into the role later would meet.
   */
  private static List<ObjectNode> personStatements(RoleDenies.PersonCutoff p) {
    ObjectNode before = deny(PERSON + p.person());
    ObjectNode issued = before.putObject("Condition");
    issued.putObject("StringLike").put(SOURCE_KEY, p.person() + ".*");
    issued.putObject("DateLessThan").put(ISSUED_KEY, at(p.issuedBefore()));
    ObjectNode chained = deny(CHAINED + p.person());
    ObjectNode untagged = chained.putObject("Condition");
    ArrayNode tails = untagged.putObject("StringLike").putArray(SOURCE_KEY);
    PERSON_TAILS.forEach(t -> tails.add(p.person() + t));
    untagged.putObject("Null").put(TAG_KEY, "true");
    return List.of(before, chained);
  }

  private static void addCutoff(List<JsonNode> statements, Instant issuedBefore) {
    ObjectNode tags = deny(BEFORE_TAGS);
    ObjectNode tagged = tags.putObject("Condition");
    tagged.putObject("DateLessThan").put(ISSUED_KEY, at(issuedBefore));
    tagged.putObject("Null").put(TAG_KEY, "false");
    ObjectNode sources = deny(BEFORE_SOURCES);
    ObjectNode chained = sources.putObject("Condition");
    chained.putObject("DateLessThan").put(ISSUED_KEY, at(issuedBefore));
    ArrayNode like = chained.putObject("StringLike").putArray(SOURCE_KEY);
    STINT_SOURCES.forEach(like::add);
    statements.add(tags);
    statements.add(sources);
  }

  static String at(Instant instant) {
    return instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  private static ObjectNode deny(String sid) {
    ObjectNode s = JSON.createObjectNode();
    s.put("Sid", sid);
    s.put("Effect", "Deny");
    s.put("Action", "*");
    s.put("Resource", "*");
    return s;
  }

  private static ObjectNode empty() {
    ObjectNode policy = JSON.createObjectNode();
    policy.put("Version", "2012-10-17");
    policy.putArray("Statement");
    return policy;
  }

  static ObjectNode parse(String document) {
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
