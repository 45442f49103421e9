package dev.stint.mint.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The read-back of a revocation: {@link RevocationPolicy#covers} is what says IAM holds the denies
 * just written, so each way a document can fall short of them (a grant's tag or source identity
 * missing, a cutoff missing or reaching less far back, a statement that does not deny) must be
 * answered "not covered", and the document rendered from the denies must be answered "covered".
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
    assertThat(RevocationPolicy.covers(policy.toString(), DENIES)).as("as rendered").isTrue();

    change.accept(policy);

    assertThat(RevocationPolicy.covers(policy.toString(), DENIES)).isFalse();
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
    assertThat(RevocationPolicy.covers(policy.toString(), DENIES)).isTrue();
  }

  @Test
  void aSingleValueWrittenAsAStringCountsAsIamReadsIt() throws Exception {
    RoleDenies one = new RoleDenies(ROLE, List.of(ALIVE), Optional.empty());
    ObjectNode policy = rendered(one);
    ((ObjectNode)
            statement(policy, RevocationPolicy.GRANT_SOURCES).path("Condition").path("StringLike"))
        .put(RevocationPolicy.SOURCE_KEY, RevocationPolicy.entry(ALIVE));

    assertThat(RevocationPolicy.covers(policy.toString(), one)).isTrue();
  }

  @Test
  void withoutACutoffNoCutoffStatementIsNeeded() throws Exception {
    RoleDenies grants = new RoleDenies(ROLE, List.of(ALIVE), Optional.empty());

    assertThat(RevocationPolicy.covers(rendered(grants).toString(), grants)).isTrue();
    assertThat(RevocationPolicy.covers(rendered(grants).toString(), DENIES)).isFalse();
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
}
