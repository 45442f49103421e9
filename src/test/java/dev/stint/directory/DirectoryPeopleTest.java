package dev.stint.directory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.identity.Directory;
import dev.stint.identity.MatchClaim;
import dev.stint.identity.Person;
import dev.stint.testing.AuditTables;
import dev.stint.testing.ScimServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Directory users matched to the people stint has seen of the directory's issuer ({@link
 * ScimServer#ISSUER}), through SCIM writes, and the groups the directory then gives each person.
 */
class DirectoryPeopleTest {
  static ScimServer server;

  @BeforeAll
  static void start() throws Exception {
    server = ScimServer.start(Clock.systemUTC());
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  static void seen(String issuer, String subject, String verifiedEmail) throws Exception {
    seenBy(issuer, subject, verifiedEmail, "sub', '" + subject);
  }

  /** {@code claimAndId}: the match claim's name and value, as SQL text between quotes. */
  private static void seenBy(String issuer, String subject, String verifiedEmail, String claimAndId)
      throws Exception {
    AuditTables.execute(
        server.database(),
        "INSERT INTO people_seen (issuer, subject, principal, email, seen_at, match_claim,"
            + " match_id) VALUES ('"
            + issuer
            + "', '"
            + subject
            + "', '{}', "
            + (verifiedEmail == null ? "NULL" : "'" + verifiedEmail + "'")
            + ", now(), '"
            + claimAndId
            + "')");
  }

  static JsonObject user(String userName, String externalId, String email) {
    JsonObject u = new JsonObject().put("userName", userName);
    if (externalId != null) {
      u.put("externalId", externalId);
    }
    if (email != null) {
      u.put("emails", new JsonArray().add(new JsonObject().put("value", email)));
    }
    return u;
  }

  /** The groups the directory gives the person, when it knows them. */
  static Optional<Set<String>> groups(String issuer, String subject) throws Exception {
    Directory.Standing s =
        server.viewAfterWrites().standing(new Person(issuer, subject, Optional.empty()));
    assertThat(s).isNotInstanceOf(Directory.Standing.Deprovisioned.class);
    return s instanceof Directory.Standing.Member m
        ? Optional.of(Set.copyOf(m.groups()))
        : Optional.empty();
  }

  static String matchedBy(String userId) throws Exception {
    return AuditTables.strings(
            server.database(),
            "SELECT details->>'matched_by' FROM audit_events WHERE details->>'user_id' = '"
                + userId
                + "' ORDER BY seq DESC LIMIT 1")
        .get(0);
  }

  static String group(String name, String member) throws Exception {
    return server.created(
        "Groups",
        new JsonObject()
            .put("displayName", name)
            .put("members", new JsonArray().add(new JsonObject().put("value", member))));
  }

  @Test
  void aUserWhoseExternalIdIsAPersonsSubIsThatPersonAndGivesThemItsGroups() throws Exception {
    seen(ScimServer.ISSUER, "00u-okta-1", "someone.else@corp.example");
    String id = server.created("Users", user("okta1@corp.example", "00u-okta-1", null));
    assertThat(matchedBy(id)).isEqualTo("sub");
    group("sub-approvers", id);
    group("sub-oncall", id);
    assertThat(groups(ScimServer.ISSUER, "00u-okta-1"))
        .contains(Set.of("sub-approvers", "sub-oncall"));
    assertThat(groups("https://other.example", "00u-okta-1"))
        .as("the same subject at another issuer is another person")
        .isEmpty();
  }

  @Test
  void aUserMatchesTheOnePersonWhoseIssuerVerifiedItsUserNameOrPrimaryEmail() throws Exception {
    seen(ScimServer.ISSUER, "pairwise-1", "byname@corp.example");
    String byName = server.created("Users", user("ByName@Corp.example", "entra-object-1", null));
    assertThat(matchedBy(byName)).isEqualTo("email");
    seen(ScimServer.ISSUER, "pairwise-2", "mail@corp.example");
    String byMail = server.created("Users", user("not-an-address", null, "MAIL@corp.example"));
    assertThat(matchedBy(byMail)).isEqualTo("email");
    group("email-team", byMail);
    assertThat(groups(ScimServer.ISSUER, "pairwise-2")).contains(Set.of("email-team"));
  }

  @Test
  void nobodyIsMatchedByAnEmailTwoPeopleShareOrAnotherIssuerVerified() throws Exception {
    seen(ScimServer.ISSUER, "twin-1", "twin@corp.example");
    seen(ScimServer.ISSUER, "twin-2", "twin@corp.example");
    String twin = server.created("Users", user("twin@corp.example", null, null));
    assertThat(matchedBy(twin)).isEqualTo("none");
    seen("https://partner.example", "partner-1", "partner@corp.example");
    String partner = server.created("Users", user("partner@corp.example", null, null));
    assertThat(matchedBy(partner)).isEqualTo("none");
    seen(ScimServer.ISSUER, "unverified-1", null);
    assertThat(groups(ScimServer.ISSUER, "twin-1")).isEmpty();
    assertThat(groups("https://partner.example", "partner-1")).isEmpty();
    assertThat(groups(ScimServer.ISSUER, "unverified-1")).isEmpty();
  }

  @Test
  void anInactiveUsersPersonIsDeprovisionedAndARewriteMatchingNobodyKeepsTheMatch()
      throws Exception {
    seen(ScimServer.ISSUER, "leaver-1", "leaver@corp.example");
    String id = server.created("Users", user("leaver@corp.example", null, null));
    group("leaver-team", id);
    assertThat(groups(ScimServer.ISSUER, "leaver-1")).contains(Set.of("leaver-team"));
    String patch =
        "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],\"Operations\":["
            + "{\"op\":\"replace\",\"value\":{\"active\":false,\"userName\":\"gone@corp.example\"}}]}";
    assertThat(server.call("PATCH", "/Users/" + id, patch).statusCode()).isEqualTo(200);
    assertThat(matchedBy(id)).isEqualTo("none");
    assertThat(
            server
                .viewAfterWrites()
                .standing(new Person(ScimServer.ISSUER, "leaver-1", Optional.empty())))
        .as("the match stands, so deactivating the user deprovisions the person")
        .isInstanceOf(Directory.Standing.Deprovisioned.class);
  }

  /** A directory user row as a write leaves it before matching; its id. */
  static String stored(String id) throws Exception {
    AuditTables.execute(
        server.database(),
        "INSERT INTO directory_users (id, user_name, active, attributes, created_at, updated_at,"
            + " version) VALUES ('"
            + id
            + "', '"
            + id
            + "', true, '{}', now(), now(), 1)");
    return id;
  }

  /** Matches the stored user {@code id}, as {@code user}; how, and whom its row now names. */
  static String match(DirectoryPeople people, String id, ScimShapes.User user) throws Exception {
    DirectoryPeople.By by = AuditTables.await(people.match(server.pool(), id, user));
    return by.code()
        + " "
        + AuditTables.strings(
                server.database(),
                "SELECT coalesce(issuer, '-') || ' ' || coalesce(subject, '-')"
                    + " FROM directory_users WHERE id = '"
                    + id
                    + "'")
            .get(0);
  }

  static DirectoryPeople people(MatchClaim claim) {
    return new DirectoryPeople(server.pool(), () -> Optional.of(ScimServer.ISSUER), claim);
  }

  static ScimShapes.User shape(String userName, String externalId, ScimShapes.Email... emails) {
    return new ScimShapes.User(
        userName,
        Optional.ofNullable(externalId),
        Optional.empty(),
        true,
        List.of(emails),
        new JsonObject());
  }

  @Test
  void withoutADirectoryIssuerNobodyIsMatched() throws Exception {
    seen(ScimServer.ISSUER, "no-issuer-1", "no-issuer@corp.example");
    DirectoryPeople unset = new DirectoryPeople(server.pool(), Optional::empty, MatchClaim.SUB);

    assertThat(match(unset, stored("u-no-issuer"), shape("no-issuer@corp.example", "no-issuer-1")))
        .isEqualTo("none - -");
  }

  @Test
  void theMatchClaimNamesThePersonEvenWhenAnotherHasTheEmail() throws Exception {
    seen(ScimServer.ISSUER, "claim-1", "claim-one@corp.example");
    seen(ScimServer.ISSUER, "claim-2", "claim-two@corp.example");

    assertThat(
            match(
                people(MatchClaim.SUB),
                stored("u-claim"),
                shape("claim-two@corp.example", "claim-1")))
        .isEqualTo("sub " + ScimServer.ISSUER + " claim-1");
  }

  @Test
  void anExternalIdMatchesOnlyByTheClaimThePersonWasSeenWith() throws Exception {
    seen(ScimServer.ISSUER, "pairwise-sub-9", null);
    seenBy(ScimServer.ISSUER, "pairwise-sub-10", null, "oid', 'entra-object-10");
    DirectoryPeople entra = people(new MatchClaim("oid"));

    assertThat(match(entra, stored("u-oid-9"), shape("nine", "pairwise-sub-9")))
        .as("a sub is not an oid")
        .isEqualTo("none - -");
    assertThat(match(entra, stored("u-oid-10"), shape("ten", "entra-object-10")))
        .isEqualTo("oid " + ScimServer.ISSUER + " pairwise-sub-10");
  }

  @Test
  void onlyThePrimaryOfSeveralEmailsMatches() throws Exception {
    seen(ScimServer.ISSUER, "secondary-1", "old-alias@corp.example");
    seen(ScimServer.ISSUER, "primary-1", "main-box@corp.example");
    ScimShapes.Email alias = new ScimShapes.Email("old-alias@corp.example", false);

    assertThat(
            match(
                people(MatchClaim.SUB),
                stored("u-secondary"),
                shape("not-an-address", null, alias, new ScimShapes.Email("x@corp.example", true))))
        .isEqualTo("none - -");
    assertThat(
            match(
                people(MatchClaim.SUB),
                stored("u-primary"),
                shape(
                    "not-an-address",
                    null,
                    alias,
                    new ScimShapes.Email("main-box@corp.example", true))))
        .isEqualTo("email " + ScimServer.ISSUER + " primary-1");
  }

  @Test
  void aDeprovisionedPersonIsMatchedByTheirClaimButNotByTheirEmail() throws Exception {
    seen(ScimServer.ISSUER, "reused-1", "reused@corp.example");
    AuditTables.execute(
        server.database(),
        "INSERT INTO directory_deprovisioned (issuer, subject, user_id, at, next_attempt_at)"
            + " VALUES ('"
            + ScimServer.ISSUER
            + "', 'reused-1', 'u-gone', now(), now())");

    assertThat(
            match(people(MatchClaim.SUB), stored("u-newcomer"), shape("reused@corp.example", null)))
        .as("a leaver's address given to a newcomer")
        .isEqualTo("none - -");
    assertThat(match(people(MatchClaim.SUB), stored("u-returner"), shape("returner", "reused-1")))
        .isEqualTo("sub " + ScimServer.ISSUER + " reused-1");
  }

  @Test
  void anExternalIdMatchesNobodyOfAnotherIssuer() throws Exception {
    seen("https://partner.example", "partner-sub-3", null);

    assertThat(match(people(MatchClaim.SUB), stored("u-partner-3"), shape("p3", "partner-sub-3")))
        .isEqualTo("none - -");
  }
}
