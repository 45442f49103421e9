package dev.stint.mint.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stint.testing.DenyEvaluator;
import dev.stint.testing.DenyEvaluator.Session;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The read-back of a revocation: {@link RevocationReadBack#covers} is what says IAM holds the
 * denies just written, so each way a document can fall short of them (a grant's tag or source
 * identity missing, a cutoff missing or reaching less far back, a statement that does not deny)
 * must be answered "not covered", and the document rendered from the denies must be answered
 * "covered".
 */
class RevocationPolicyTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
  static final String ROLE = "arn:aws:iam::123456789012:role/prod-admin";
  static final RoleDenies.Denied ALIVE =
      new RoleDenies.Denied("grt_alive", "aliceaaaaaaaaaaa.grt_alive");
  static final RoleDenies.Denied EXPIRED =
      new RoleDenies.Denied("grt_expired", "bobbbbbbbbbbbbbb.grt_expired", false);
  static final RoleDenies.Cutoff CUTOFF =
      new RoleDenies.Cutoff(NOW.minusSeconds(30), NOW.plus(Duration.ofHours(4)));
  static final RoleDenies.PersonCutoff PERSON =
      new RoleDenies.PersonCutoff(
          "0123456789abcdef", NOW.minusSeconds(20), NOW.plus(Duration.ofHours(2)));
  static final RoleDenies DENIES =
      new RoleDenies(ROLE, List.of(ALIVE, EXPIRED), List.of(PERSON), Optional.of(CUTOFF));

  static ObjectNode rendered(RoleDenies denies) throws Exception {
    return (ObjectNode)
        JSON.readTree(RevocationPolicy.render(Optional.empty(), denies, NOW).document());
  }

  static ObjectNode statement(ObjectNode policy, String sid) {
    for (JsonNode s : policy.path("Statement")) {
      if (sid.equals(s.path("Sid").asText())) {
        return (ObjectNode) s;
      }
    }
    throw new AssertionError("no statement " + sid + " in " + policy);
  }

  static void removeValue(ObjectNode statement, String key, String value) {
    ArrayNode values = (ArrayNode) statement.path("Condition").path("StringLike").path(key);
    for (int i = 0; i < values.size(); i++) {
      if (value.equals(values.get(i).asText())) {
        values.remove(i);
        return;
      }
    }
    throw new AssertionError(value + " is not listed under " + key);
  }

  static void removeStatement(ObjectNode policy, String sid) {
    ArrayNode statements = (ArrayNode) policy.path("Statement");
    for (int i = 0; i < statements.size(); i++) {
      if (sid.equals(statements.get(i).path("Sid").asText())) {
        statements.remove(i);
        return;
      }
    }
    throw new AssertionError("no statement " + sid);
  }

  static void issuedBefore(ObjectNode policy, String sid, Instant at) {
    ((ObjectNode) statement(policy, sid).path("Condition").path("DateLessThan"))
        .put(RevocationPolicy.ISSUED_KEY, at.toString());
  }

  static Arguments shortOf(String name, Consumer<ObjectNode> change) {
    return Arguments.of(name, change);
  }

  static Stream<Arguments> documentsShortOfTheDenies() {
    return Stream.of(
        shortOf(
            "a live grant's entry missing",
            p ->
                removeValue(
                    statement(p, RevocationPolicy.GRANT_SOURCES),
                    RevocationPolicy.SOURCE_KEY,
                    RevocationPolicy.entry(ALIVE))),
        shortOf(
            "an expired grant's entry missing",
            p ->
                removeValue(
                    statement(p, RevocationPolicy.GRANT_SOURCES),
                    RevocationPolicy.SOURCE_KEY,
                    RevocationPolicy.entry(EXPIRED))),
        shortOf(
            "a collapsed person's cutoff missing",
            p -> removeStatement(p, RevocationPolicy.PERSON + PERSON.person())),
        shortOf(
            "a collapsed person's chained sessions not denied",
            p -> removeStatement(p, RevocationPolicy.CHAINED + PERSON.person())),
        shortOf(
            "a collapsed person's chained lease sessions not denied",
            p ->
                removeValue(
                    statement(p, RevocationPolicy.CHAINED + PERSON.person()),
                    RevocationPolicy.SOURCE_KEY,
                    PERSON.person() + ".lse_*")),
        shortOf(
            "a collapsed person's cutoff a second earlier",
            p ->
                issuedBefore(
                    p,
                    RevocationPolicy.PERSON + PERSON.person(),
                    PERSON.issuedBefore().minusSeconds(1))),
        shortOf(
            "the sources statement allows instead of denying",
            p -> statement(p, RevocationPolicy.GRANT_SOURCES).put("Effect", "Allow")),
        shortOf("the tagged cutoff missing", p -> removeStatement(p, RevocationPolicy.BEFORE_TAGS)),
        shortOf(
            "the chained cutoff missing", p -> removeStatement(p, RevocationPolicy.BEFORE_SOURCES)),
        shortOf(
            "the tagged cutoff a second earlier",
            p ->
                issuedBefore(
                    p, RevocationPolicy.BEFORE_TAGS, CUTOFF.issuedBefore().minusSeconds(1))),
        shortOf(
            "the chained cutoff a second earlier",
            p ->
                issuedBefore(
                    p, RevocationPolicy.BEFORE_SOURCES, CUTOFF.issuedBefore().minusSeconds(1))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("documentsShortOfTheDenies")
  void aDocumentShortOfTheDeniesIsNotTakenForThem(String name, Consumer<ObjectNode> change)
      throws Exception {
    ObjectNode policy = rendered(DENIES);
    assertThat(RevocationReadBack.covers(policy.toString(), DENIES)).as("as rendered").isTrue();

    change.accept(policy);

    assertThat(RevocationReadBack.covers(policy.toString(), DENIES)).isFalse();
  }

  @Test
  void aGrantCostsOneEntryWhatEverTheFormOfItsSourceIdentity() throws Exception {
    ObjectNode policy = rendered(DENIES);

    assertThat(policy.toString()).doesNotContain(RevocationPolicy.GRANT_TAGS);
    assertThat(RevocationPolicy.entry(ALIVE)).isEqualTo("*.grt_alive");
    RoleDenies.Denied odd = new RoleDenies.Denied("grt-odd", "0123456789abcdef.grt_odd");
    assertThat(RevocationPolicy.entry(odd))
        .as("a source identity not ending with its grant id is listed whole")
        .isEqualTo("0123456789abcdef.grt_odd");
    assertThat(RevocationReadBack.covers(policy.toString(), DENIES)).isTrue();
  }

  @Test
  void aSingleValueWrittenAsAStringCountsAsIamReadsIt() throws Exception {
    RoleDenies one = new RoleDenies(ROLE, List.of(ALIVE), Optional.empty());
    ObjectNode policy = rendered(one);
    ((ObjectNode)
            statement(policy, RevocationPolicy.GRANT_SOURCES).path("Condition").path("StringLike"))
        .put(RevocationPolicy.SOURCE_KEY, RevocationPolicy.entry(ALIVE));

    assertThat(RevocationReadBack.covers(policy.toString(), one)).isTrue();
  }

  @Test
  void withoutACutoffNoCutoffStatementIsNeeded() throws Exception {
    RoleDenies grants = new RoleDenies(ROLE, List.of(ALIVE), Optional.empty());

    assertThat(RevocationReadBack.covers(rendered(grants).toString(), grants)).isTrue();
    assertThat(RevocationReadBack.covers(rendered(grants).toString(), DENIES)).isFalse();
  }

  @Test
  void iamCountsEveryCharacterButWhitespace() {
    assertThat(RevocationPolicy.characters("{ \"Sid\" :\n\t\"a b\" }")).isEqualTo(12);
  }

  @Test
  void anEarlierStatementOutlastingTheCutoffIsKeptAndCounted() throws Exception {
    long end = NOW.plus(Duration.ofHours(6)).getEpochSecond();
    String existing =
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"StintU"
            + end
            + "T\",\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\"}]}";

    RevocationPolicy.Rendered r = RevocationPolicy.render(Optional.of(existing), DENIES, NOW);

    assertThat(r.earlierKept()).isEqualTo(1);
    assertThat(r.latestEarlier()).contains(Instant.ofEpochSecond(end));
    assertThat(r.document()).contains("StintU" + end + "T");
  }

  @Test
  void anEarlierStatementTheCutoffOutlastsIsDropped() throws Exception {
    long end = NOW.plus(Duration.ofHours(2)).getEpochSecond();
    String existing =
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"StintU"
            + end
            + "T\",\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\"}]}";

    RevocationPolicy.Rendered r = RevocationPolicy.render(Optional.of(existing), DENIES, NOW);

    assertThat(r.earlierKept()).isZero();
    assertThat(r.document()).doesNotContain("StintU" + end);
  }

  static final String JANE = "https://idp.example.com";
  static final String GRANT = "grt_janejanejanejanejanejane";
  static final String LEASE = "lse_abcdefghijklmnopqrstuvwx";
  static final String OTHER_LEASE = "lse_zyxwvutsrqponmlkjihgfedc";

  /** A revoked lease's sessions, as the ledger groups them: its grant, the lease's identity. */
  static RoleDenies.Denied leaseOf(String grant, String lease) {
    return new RoleDenies.Denied(grant, SourceIdentities.of(JANE, "jane", lease));
  }

  /** A session of Jane's as STS made it: tagged with the grant (and the lease, for a lease's). */
  static Session session(String sourceTail, Optional<String> lease, Instant issued) {
    Map<String, String> tags = new HashMap<>(Map.of("stint:grant", GRANT));
    lease.ifPresent(l -> tags.put("stint:lease", l));
    return new Session(tags, Optional.of(SourceIdentities.of(JANE, "jane", sourceTail)), issued);
  }

  static Session chained(Session s) {
    return new Session(Map.of(), s.sourceIdentity(), s.issuedAt());
  }

  @Test
  void aLeasesEntryIsAsCompactAsAGrantsAndNamesTheLease() {
    assertThat(RevocationPolicy.entry(leaseOf(GRANT, LEASE))).isEqualTo("*." + LEASE);
    RoleDenies.Denied notALease =
        new RoleDenies.Denied(GRANT, "0123456789abcdef.lse_NOT-ONE-OF-STINTS");
    assertThat(RevocationPolicy.entry(notALease))
        .as("a tail shaped unlike a lease id is listed whole")
        .isEqualTo("0123456789abcdef.lse_NOT-ONE-OF-STINTS");
  }

  @Test
  void aRevokedLeaseDeniesItsSessionsAndNotTheGrantsOthers() throws Exception {
    String document =
        rendered(new RoleDenies(ROLE, List.of(leaseOf(GRANT, LEASE)), Optional.empty())).toString();
    Session lease = session(LEASE, Optional.of(LEASE), NOW);
    Session other = session(OTHER_LEASE, Optional.of(OTHER_LEASE), NOW);
    Session grant = session(GRANT, Optional.empty(), NOW);

    assertThat(DenyEvaluator.denies(document, lease, NOW)).as("the lease's session").isTrue();
    assertThat(DenyEvaluator.denies(document, chained(lease), NOW))
        .as("a session chained from it")
        .isTrue();
    assertThat(DenyEvaluator.denies(document, grant, NOW)).as("the grant's own").isFalse();
    assertThat(DenyEvaluator.denies(document, chained(grant), NOW))
        .as("chained from the grant's own")
        .isFalse();
    assertThat(DenyEvaluator.denies(document, other, NOW))
        .as("another lease of the grant")
        .isFalse();
  }

  @Test
  void aRevokedGrantWithItsLeasesDeniesThemAll() throws Exception {
    RoleDenies denies =
        new RoleDenies(
            ROLE,
            List.of(
                new RoleDenies.Denied(GRANT, SourceIdentities.of(JANE, "jane", GRANT)),
                leaseOf(GRANT, LEASE),
                leaseOf(GRANT, OTHER_LEASE)),
            Optional.empty());
    ObjectNode policy = rendered(denies);

    assertThat(statement(policy, RevocationPolicy.GRANT_SOURCES).at("/Condition/StringLike"))
        .isEqualTo(
            JSON.readTree(
                "{\"aws:SourceIdentity\":[\"*."
                    + GRANT
                    + "\",\"*."
                    + LEASE
                    + "\",\"*."
                    + OTHER_LEASE
                    + "\"]}"));
    for (String tail : List.of(GRANT, LEASE, OTHER_LEASE)) {
      Session s = session(tail, Optional.of(tail).filter(t -> t.startsWith("lse_")), NOW);
      assertThat(DenyEvaluator.denies(policy.toString(), s, NOW)).as(tail).isTrue();
      assertThat(DenyEvaluator.denies(policy.toString(), chained(s), NOW)).as(tail).isTrue();
    }
    assertThat(RevocationReadBack.covers(policy.toString(), denies)).isTrue();
  }

  @Test
  void theRoleWideCutoffReachesLeaseSessionsTaggedAndChained() throws Exception {
    String document = rendered(new RoleDenies(ROLE, List.of(), Optional.of(CUTOFF))).toString();
    Session before = session(LEASE, Optional.of(LEASE), CUTOFF.issuedBefore().minusSeconds(1));
    Session after = session(LEASE, Optional.of(LEASE), CUTOFF.issuedBefore().plusSeconds(1));

    assertThat(RevocationPolicy.STINT_SOURCES).contains("????????????????.lse_*");
    assertThat(DenyEvaluator.denies(document, before, NOW)).isTrue();
    assertThat(DenyEvaluator.denies(document, chained(before), NOW)).isTrue();
    assertThat(DenyEvaluator.denies(document, after, NOW)).isFalse();
    assertThat(DenyEvaluator.denies(document, chained(after), NOW)).isFalse();
  }

  @Test
  void aCollapsedPersonsCutoffReachesTheirLeaseSessionsTaggedAndChained() throws Exception {
    String person = SourceIdentities.of(JANE, "jane", LEASE).substring(0, 16);
    RoleDenies.PersonCutoff jane =
        new RoleDenies.PersonCutoff(person, NOW.minusSeconds(20), NOW.plus(Duration.ofHours(2)));
    String document =
        rendered(new RoleDenies(ROLE, List.of(), List.of(jane), Optional.empty())).toString();
    Session before = session(LEASE, Optional.of(LEASE), jane.issuedBefore().minusSeconds(1));
    Session after = session(LEASE, Optional.of(LEASE), jane.issuedBefore().plusSeconds(1));

    assertThat(DenyEvaluator.denies(document, before, NOW)).isTrue();
    assertThat(DenyEvaluator.denies(document, after, NOW)).as("fresh, tagged").isFalse();
    assertThat(DenyEvaluator.denies(document, chained(after), NOW))
        .as("chained, standing for the collapsed entries")
        .isTrue();
    Session someoneElse =
        new Session(
            Map.of(),
            Optional.of(SourceIdentities.of(JANE, "john", LEASE)),
            jane.issuedBefore().minusSeconds(1));
    assertThat(DenyEvaluator.denies(document, someoneElse, NOW)).as("another person").isFalse();
  }
}
