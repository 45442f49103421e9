package dev.stint.mint.aws;

import static dev.stint.mint.aws.RevocationPolicy.BEFORE_SOURCES;
import static dev.stint.mint.aws.RevocationPolicy.BEFORE_TAGS;
import static dev.stint.mint.aws.RevocationPolicy.CHAINED;
import static dev.stint.mint.aws.RevocationPolicy.GRANT_SOURCES;
import static dev.stint.mint.aws.RevocationPolicy.ISSUED_KEY;
import static dev.stint.mint.aws.RevocationPolicy.PERSON;
import static dev.stint.mint.aws.RevocationPolicy.PERSON_SID;
import static dev.stint.mint.aws.RevocationPolicy.PERSON_TAILS;
import static dev.stint.mint.aws.RevocationPolicy.SOURCE_KEY;
import static dev.stint.mint.aws.RevocationPolicy.TAG_KEY;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;

/**
 * A role's deny documents as IAM holds them, read back: which items a document of stint's names (so
 * the layout leaves each where it is), and whether the documents hold every deny just written
 * ({@link #covers}, what a revocation waits for before it is confirmed). {@link RevocationPolicy}
 * writes them; reading is apart, so that a document short of the denies is judged by what it says,
 * not by how it was rendered.
 */
final class RevocationReadBack {
  private static final ObjectMapper JSON = new ObjectMapper();

  private RevocationReadBack() {}

  /** The items a document of stint's holds: its grants' entries and its collapsed persons. */
  static Set<String> held(String document) {
    Set<String> out = new LinkedHashSet<>();
    for (JsonNode s : RevocationPolicy.parse(document).withArrayProperty("Statement")) {
      String sid = s.path("Sid").asText("");
      if (GRANT_SOURCES.equals(sid)) {
        out.addAll(values(s.path("Condition").path("StringLike").path(SOURCE_KEY)));
      }
      Matcher person = PERSON_SID.matcher(sid);
      if (person.matches() && person.group(1).equals(PERSON)) {
        out.add(DenyItem.Person.key(person.group(2)));
      }
    }
    return out;
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
    return covers(List.of(document), denies);
  }

  /** True when {@code documents} together hold every deny of {@code denies}. */
  static boolean covers(List<String> documents, RoleDenies denies) {
    List<ObjectNode> policies = documents.stream().map(RevocationPolicy::parse).toList();
    for (RoleDenies.Denied d : denies.grants()) {
      if (policies.stream().noneMatch(p -> listed(p, RevocationPolicy.entry(d)))) {
        return false;
      }
    }
    for (RoleDenies.PersonCutoff person : denies.persons()) {
      if (policies.stream().noneMatch(p -> holdsPerson(p, person))) {
        return false;
      }
    }
    return denies
        .cutoff()
        .map(
            c ->
                policies.stream().anyMatch(p -> before(p, BEFORE_TAGS, c.issuedBefore()))
                    && policies.stream().anyMatch(p -> before(p, BEFORE_SOURCES, c.issuedBefore())))
        .orElse(true);
  }

  private static boolean listed(ObjectNode policy, String entry) {
    return statement(policy, GRANT_SOURCES)
        .map(s -> values(s.path("Condition").path("StringLike").path(SOURCE_KEY)).contains(entry))
        .orElse(false);
  }

  /** Both statements of a collapsed person, each reaching at least as far as asked. */
  private static boolean holdsPerson(ObjectNode policy, RoleDenies.PersonCutoff p) {
    boolean before =
        statement(policy, PERSON + p.person())
            .map(
                s ->
                    values(s.path("Condition").path("StringLike").path(SOURCE_KEY))
                            .contains(p.person() + ".*")
                        && RevocationPolicy.at(p.issuedBefore())
                            .equals(
                                s.path("Condition").path("DateLessThan").path(ISSUED_KEY).asText()))
            .orElse(false);
    boolean chained =
        statement(policy, CHAINED + p.person())
            .map(
                s ->
                    values(s.path("Condition").path("StringLike").path(SOURCE_KEY))
                            .containsAll(PERSON_TAILS.stream().map(p.person()::concat).toList())
                        && "true".equals(s.path("Condition").path("Null").path(TAG_KEY).asText()))
            .orElse(false);
    return before && chained;
  }

  private static boolean before(ObjectNode policy, String sid, Instant issuedBefore) {
    return statement(policy, sid)
        .map(
            s ->
                RevocationPolicy.at(issuedBefore)
                    .equals(s.path("Condition").path("DateLessThan").path(ISSUED_KEY).asText()))
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
}
