package dev.stint.directory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.config.DatabaseUrl;
import dev.stint.db.Database;
import dev.stint.testing.AuditTables;
import dev.stint.testing.TestPostgres;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The eligibility report's pages of active users, read from rows written straight into a database
 * of the class's own: which users are listed, in what pages, and what each carries (the groups of
 * its person, its email, its match and the person's stored claims). Nothing here waits on time.
 */
class ActiveUsersTest {
  static final String ISSUER = "https://idp.active.example";

  static Vertx vertx;
  static DatabaseUrl url;
  static Database db;
  static ActiveUsers users;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    url = TestPostgres.migratedDatabase();
    db = Database.connect(vertx, url, 2);
    users = new ActiveUsers(db.pool());
    user("a-ada", "ada", true, ISSUER, "ada");
    user("a-ada-2", "ada.second", true, ISSUER, "ada");
    user("a-ada-old", "ada.old", false, ISSUER, "ada");
    user("a-bob", "bob", true, null, null);
    user("a-cy", "cy", true, null, "cy-without-issuer");
    user("a-dee", "dee", false, null, null);
    member("sre", "a-ada");
    member("oncall", "a-ada-2");
    member("old-admins", "a-ada-old");
    member("dev", "a-bob");
    email("a-ada", "ada@active.example", false);
    email("a-bob", "bob.other@active.example", false);
    email("a-bob", "bob@active.example", true);
    email("a-cy", "cy.one@active.example", false);
    email("a-cy", "cy.two@active.example", false);
    AuditTables.execute(
        url,
        "INSERT INTO people_seen (issuer, subject, principal, email, seen_at, match_claim,"
            + " match_id) VALUES ('"
            + ISSUER
            + "', 'ada', '{\"groups\":[\"from-token\"]}', NULL, now(), 'sub', 'ada')");
  }

  @AfterAll
  static void stop() throws Exception {
    db.close();
    AuditTables.await(vertx.close());
  }

  static void user(String id, String userName, boolean active, String issuer, String subject)
      throws Exception {
    AuditTables.execute(
        url,
        "INSERT INTO directory_users (id, user_name, active, attributes, issuer, subject,"
            + " created_at, updated_at, version) VALUES ('"
            + id
            + "', '"
            + userName
            + "', "
            + active
            + ", '{}', "
            + quoted(issuer)
            + ", "
            + quoted(subject)
            + ", now(), now(), 1)");
  }

  static String quoted(String text) {
    return text == null ? "NULL" : "'" + text + "'";
  }

  static void member(String group, String userId) throws Exception {
    AuditTables.execute(
        url,
        "INSERT INTO directory_groups (id, display_name, attributes, created_at, updated_at,"
            + " version) VALUES ('g-"
            + group
            + "', '"
            + group
            + "', '{}', now(), now(), 1);"
            + " INSERT INTO directory_members (group_id, user_id) VALUES ('g-"
            + group
            + "', '"
            + userId
            + "')");
  }

  static void email(String userId, String address, boolean primary) throws Exception {
    AuditTables.execute(
        url,
        "INSERT INTO directory_user_emails (user_id, address, is_primary) VALUES ('"
            + userId
            + "', '"
            + address
            + "', "
            + primary
            + ")");
  }

  static Map<String, ActiveUsers.User> firstPage() throws Exception {
    return AuditTables.await(users.after("", 100)).stream()
        .filter(u -> u.id().startsWith("a-"))
        .collect(Collectors.toMap(ActiveUsers.User::id, Function.identity()));
  }

  @Test
  void onlyActiveUsersAreListedInTheOrderOfTheirIds() throws Exception {
    List<String> ids =
        AuditTables.await(users.after("", 100)).stream()
            .map(ActiveUsers.User::id)
            .filter(id -> id.startsWith("a-"))
            .toList();
    assertThat(ids).containsExactly("a-ada", "a-ada-2", "a-bob", "a-cy");
  }

  @Test
  void aPageStartsAfterTheIdGivenAndHoldsAtMostTheLimit() throws Exception {
    assertThat(AuditTables.await(users.after("a-ada", 2)))
        .extracting(ActiveUsers.User::id)
        .containsExactly("a-ada-2", "a-bob");
  }

  @Test
  void aMatchedUserHasTheGroupsOfEveryActiveUserOfItsPerson() throws Exception {
    Map<String, ActiveUsers.User> page = firstPage();
    assertThat(page.get("a-ada").groups()).containsExactly("oncall", "sre");
    assertThat(page.get("a-ada-2").groups()).containsExactly("oncall", "sre");
    assertThat(page.get("a-bob").groups()).containsExactly("dev");
    assertThat(page.get("a-cy").groups()).isEmpty();
  }

  @Test
  void theEmailIsThePrimaryOrTheOnlyOne() throws Exception {
    Map<String, ActiveUsers.User> page = firstPage();
    assertThat(page.get("a-ada").email()).contains("ada@active.example");
    assertThat(page.get("a-bob").email()).contains("bob@active.example");
    assertThat(page.get("a-cy").email()).as("two, neither primary").isEmpty();
    assertThat(page.get("a-ada-2").email()).isEmpty();
  }

  @Test
  void aUserIsMatchedOnlyWithBothIssuerAndSubjectAndCarriesThePersonsStoredClaims()
      throws Exception {
    Map<String, ActiveUsers.User> page = firstPage();
    assertThat(page.get("a-ada").match()).contains(new ActiveUsers.Match(ISSUER, "ada"));
    assertThat(page.get("a-ada").stored())
        .contains(new JsonObject().put("groups", new JsonArray().add("from-token")));
    assertThat(page.get("a-bob").match()).isEmpty();
    assertThat(page.get("a-bob").stored()).isEmpty();
    assertThat(page.get("a-cy").match()).as("a subject without its issuer names nobody").isEmpty();
    assertThat(page.get("a-bob").userName()).isEqualTo("bob");
    assertThat(page.get("a-bob").displayName()).isEqualTo(Optional.empty());
  }

  @Test
  void noPageHoldsMoreThanTheMost() throws Exception {
    AuditTables.execute(
        url,
        "INSERT INTO directory_users (id, user_name, active, attributes, created_at, updated_at,"
            + " version) SELECT 'z-' || lpad(i::text, 6, '0'), 'bulk-' || i, true, '{}', now(),"
            + " now(), 1 FROM generate_series(1, "
            + (ActiveUsers.MAX_PAGE + 1)
            + ") i");

    assertThat(AuditTables.await(users.after("z-", ActiveUsers.MAX_PAGE + 1)))
        .hasSize(ActiveUsers.MAX_PAGE);
  }
}
