package dev.stint.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.config.DatabaseUrl;
import dev.stint.testing.ApiCalls;
import dev.stint.testing.ApiCalls.Answer;
import dev.stint.testing.AuditTables;
import dev.stint.testing.TestIdp;
import dev.stint.testing.TestPostgres;
import dev.stint.testing.TestServer;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Web sign-in asks the directory about a person stint has never seen before it opens a session: a
 * leaver whose directory user was written inactive before they ever came is refused at the callback
 * and gets no session, as one deprovisioned later is.
 */
class FirstSignInTest {
  static final String SCIM_TOKEN = "first-sign-in-scim-token-0123456789abcdef01";

  static TestIdp idp;
  static DatabaseUrl db;
  static TestServer server;

  @BeforeAll
  static void start() {
    idp = new TestIdp("corp");
    db = TestPostgres.migratedDatabase();
    server =
        TestServer.start(
            db,
            Map.of("STINT_DIRECTORY_SCIM_TOKEN", SCIM_TOKEN, "STINT_DIRECTORY_ISSUER", "corp"),
            WebTestSetup.policy(idp));
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    idp.close();
  }

  @Test
  void aLeaverTheDirectoryListsAsInactiveIsRefusedAtTheirFirstSignIn() throws Exception {
    Answer user =
        new ApiCalls(server)
            .post(
                SCIM_TOKEN,
                "/scim/v2/Users",
                "{\"userName\":\"wes@example.com\",\"externalId\":\"wes\",\"active\":false}");
    assertThat(user.status()).as(user.body().toString()).isEqualTo(201);

    Browser b = new Browser(server);
    HttpResponse<String> callback = b.signIn(idp, "wes", "sre");

    assertThat(callback.statusCode()).isEqualTo(403);
    assertThat(b.cookie("stint_session")).isEmpty();
    assertThat(b.get("/ui").statusCode()).as("sent to sign in").isEqualTo(302);
    assertThat(
            AuditTables.count(
                db,
                "type = 'identity.refused' AND actor_subject = 'wes'"
                    + " AND details->>'path' = '/ui/callback'"))
        .isEqualTo(1);
    assertThat(AuditTables.count(db, "type = 'web.signed_in' AND actor_subject = 'wes'")).isZero();
  }
}
