package dev.stint.directory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.identity.Directory;
import dev.stint.identity.Person;
import dev.stint.testing.AuditTables;
import dev.stint.testing.ScimServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
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
    AuditTables.execute(
        server.database(),
        "INSERT INTO people_seen (issuer, subject, principal, email, seen_at, match_claim,"
            + " match_id) VALUES ('"
            + issuer
            + "', '"
            + subject
            + "', '{}', "
            + (verifiedEmail == null ? "NULL" : "'" + verifiedEmail + "'")
            + ", now(), 'sub', '"
            + subject
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
}
