package dev.stint.directory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.config.DatabaseUrl;
import dev.stint.testing.ApiCalls;
import dev.stint.testing.ApiCalls.Answer;
import dev.stint.testing.AuditTables;
import dev.stint.testing.Eventually;
import dev.stint.testing.TestIdp;
import dev.stint.testing.TestPolicies;
import dev.stint.testing.TestPostgres;
import dev.stint.testing.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A directory user is matched by email only on the address as it is, ASCII letters compared without
 * their case: Unicode's case rules turn a KELVIN SIGN (U+212A) into a plain "k", so folding with
 * them let a person whose identity provider verified {@code \u212Aelly@…} take kelly's directory
 * user, her groups, and, when she left, be deprovisioned in her place. Through the real server:
 * tokens verified by its OIDC verifier, users written over SCIM.
 */
class ExactEmailMatchTest {
  static final String SCIM_TOKEN = "exact-email-scim-token-0123456789abcdef0123";
  static final String KELVIN = "\u212A";

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

  /** A token whose issuer says it verified {@code email}. */
  static String token(String subject, String email, String... groups) {
    return idp.tokenWithClaims(
        subject, Map.of("email", email, "email_verified", true, "groups", List.of(groups)));
  }

  /** {@code subject} calls once and is recorded among the people seen. */
  static void seen(String token, String subject) throws Exception {
    Answer whoami = api.get(token, "/v1/whoami");
    assertThat(whoami.status()).as(whoami.body().toString()).isEqualTo(200);
    Eventually.until(
        subject + " to be among the people seen",
        Duration.ofSeconds(10),
        () ->
            !AuditTables.strings(db, "SELECT 1 FROM people_seen WHERE subject = '" + subject + "'")
                .isEmpty());
  }

  static String created(Answer a) {
    assertThat(a.status()).as(a.body().toString()).isEqualTo(201);
    return a.body().get("id").asText();
  }

  static String user(String userName, String externalId) {
    return created(
        api.post(
            SCIM_TOKEN,
            "/scim/v2/Users",
            "{\"userName\":\"" + userName + "\",\"externalId\":\"" + externalId + "\"}"));
  }

  static String matchedTo(String userId) throws Exception {
    return AuditTables.strings(
            db, "SELECT coalesce(subject, '') FROM directory_users WHERE id = '" + userId + "'")
        .get(0);
  }

  @Test
  void aVerifiedKelvinSignAddressTakesNeitherKellysUserNorHerGroupsNorHerLeaving()
      throws Exception {
    String mallory = token("mallory", KELVIN + "elly@example.com", "eng");
    seen(mallory, "mallory");

    String kelly = user("kelly@example.com", "okta-kelly");
    created(
        api.post(
            SCIM_TOKEN,
            "/scim/v2/Groups",
            "{\"displayName\":\"kelly-team\",\"members\":[{\"value\":\"" + kelly + "\"}]}"));

    assertThat(matchedTo(kelly)).as("kelly's user is nobody stint has seen yet").isEmpty();
    Answer whoami = api.get(mallory, "/v1/whoami");
    assertThat(whoami.body().get("groups_from").asText()).isEqualTo("token");
    assertThat(whoami.body().get("groups").toString()).isEqualTo("[\"eng\"]");

    Answer leaves =
        api.call(
            SCIM_TOKEN,
            "PATCH",
            "/scim/v2/Users/" + kelly,
            "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],"
                + "\"Operations\":[{\"op\":\"replace\",\"value\":{\"active\":false}}]}");
    assertThat(leaves.status()).as(leaves.body().toString()).isEqualTo(200);
    assertThat(
            AuditTables.strings(
                db, "SELECT count(*) FROM directory_deprovisioned WHERE subject = 'mallory'"))
        .as("kelly leaving deprovisions nobody else")
        .containsExactly("0");
    assertThat(api.get(mallory, "/v1/whoami").status()).isEqualTo(200);
  }

  @Test
  void aDirectoryAddressWithAKelvinSignIsNotThePlainAddress() throws Exception {
    String karl = token("karl", "karl@example.com", "eng");
    seen(karl, "karl");

    String lookalike = user(KELVIN + "arl@example.com", "okta-lookalike");

    assertThat(matchedTo(lookalike)).isEmpty();
    assertThat(api.get(karl, "/v1/whoami").body().get("groups_from").asText()).isEqualTo("token");
  }

  @Test
  void asciiLettersStillMatchWhateverTheirCase() throws Exception {
    String dana = token("dana", "Dana@Example.COM", "eng");
    seen(dana, "dana");

    String user = user("dana@example.com", "okta-dana");

    assertThat(matchedTo(user)).isEqualTo("dana");
  }
}
