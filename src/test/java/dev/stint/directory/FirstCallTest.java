package dev.stint.directory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.config.DatabaseUrl;
import dev.stint.testing.ApiCalls;
import dev.stint.testing.ApiCalls.Answer;
import dev.stint.testing.AuditTables;
import dev.stint.testing.TestIdp;
import dev.stint.testing.TestPolicies;
import dev.stint.testing.TestPostgres;
import dev.stint.testing.TestServer;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A person stint has never seen whose directory user was written before their first call: the
 * directory is asked about them before that call is admitted, so a leaver it lists as inactive is
 * refused on it (nothing they do in it stands) and a newcomer it lists as active is judged by its
 * groups from it. Through the real server, with tokens its OIDC verifier checks.
 */
class FirstCallTest {
  static final String SCIM_TOKEN = "first-call-scim-token-0123456789abcdef01234";

  static TestIdp idp;
  static DatabaseUrl db;
  static TestServer server;
  static ApiCalls api;

  @BeforeAll
  static void start() {
    idp = new TestIdp("corp");
    db = TestPostgres.migratedDatabase();
    server =
        TestServer.start(
            db,
            Map.of("STINT_DIRECTORY_SCIM_TOKEN", SCIM_TOKEN, "STINT_DIRECTORY_ISSUER", "corp"),
            TestPolicies.requests(idp));
    api = new ApiCalls(server);
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    idp.close();
  }

  static String created(Answer a) {
    assertThat(a.status()).as(a.body().toString()).isEqualTo(201);
    return a.body().get("id").asText();
  }

  static String user(String name, boolean active) {
    return created(
        api.post(
            SCIM_TOKEN,
            "/scim/v2/Users",
            "{\"userName\":\""
                + name
                + "@example.com\",\"externalId\":\""
                + name
                + "\",\"active\":"
                + active
                + "}"));
  }

  @Test
  void aLeaverTheDirectoryListsAsInactiveIsRefusedOnTheirFirstCallAndTheirVoteDoesNotStand()
      throws Exception {
    String request =
        created(
            api.post(
                idp.token("rhea", "eng"),
                "/v1/requests",
                "{\"profile\":\"prod\",\"duration_seconds\":1800,\"reason\":\"INC-7\"}"));
    user("leo", false);

    // leo's token still says sre, which approves prod; stint has never seen leo.
    Answer vote = api.post(idp.token("leo", "sre"), "/v1/requests/" + request + "/approve", "{}");

    assertThat(vote.status()).as(vote.body().toString()).isEqualTo(403);
    assertThat(vote.code()).isEqualTo("forbidden");
    assertThat(
            AuditTables.count(
                db,
                "type = 'identity.refused' AND actor_subject = 'leo'"
                    + " AND reason LIKE 'the directory has deactivated or deleted%'"
                    + " AND details->>'path' = '/v1/requests/"
                    + request
                    + "/approve'"))
        .isEqualTo(1);
    assertThat(
            AuditTables.count(db, "type = 'approval.recorded' AND request_id = '" + request + "'"))
        .as("no vote of leo's was cast")
        .isZero();
    assertThat(api.get(idp.token("leo", "sre"), "/v1/whoami").status())
        .as("nor is any later call admitted")
        .isEqualTo(403);
  }

  @Test
  void aNewcomerTheDirectoryListsAsActiveHasItsGroupsFromTheirFirstCall() throws Exception {
    String nia = user("nia", true);
    created(
        api.post(
            SCIM_TOKEN,
            "/scim/v2/Groups",
            "{\"displayName\":\"dir-sre\",\"members\":[{\"value\":\"" + nia + "\"}]}"));

    Answer whoami = api.get(idp.token("nia", "eng"), "/v1/whoami");

    assertThat(whoami.status()).as(whoami.body().toString()).isEqualTo(200);
    assertThat(whoami.body().get("groups_from").asText()).isEqualTo("directory");
    assertThat(whoami.body().get("groups").toString()).isEqualTo("[\"dir-sre\"]");
  }

  @Test
  void someoneTheDirectoryDoesNotListKeepsTheirTokensGroups() {
    Answer whoami = api.get(idp.token("otto", "eng"), "/v1/whoami");

    assertThat(whoami.status()).isEqualTo(200);
    assertThat(whoami.body().get("groups_from").asText()).isEqualTo("token");
    assertThat(whoami.body().get("groups").toString()).isEqualTo("[\"eng\"]");
  }
}
