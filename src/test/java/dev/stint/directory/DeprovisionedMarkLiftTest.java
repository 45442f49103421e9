package dev.stint.directory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.identity.Directory.Standing;
import dev.stint.identity.Person;
import dev.stint.testing.AuditTables;
import dev.stint.testing.ScimServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Who may lift a leaver's mark, over SCIM on the real HTTP stack and migrations: a person can have
 * more than one directory user (an admin account beside the everyday one, matched by the email the
 * issuer verified). Deactivating one deprovisions the person; another of their users that is, or
 * becomes, active must not let them back in, or any second account would undo every leaver. Only
 * the user that made the mark lifts it, or, once that user is gone, one that names the person by
 * {@code sub}.
 */
class DeprovisionedMarkLiftTest {
  static ScimServer server;

  @BeforeAll
  static void start() throws Exception {
    server = ScimServer.start(Clock.systemUTC());
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  static void seen(String subject, String verifiedEmail) throws Exception {
    AuditTables.execute(
        server.database(),
        "INSERT INTO people_seen (issuer, subject, principal, email, seen_at, match_claim,"
            + " match_id) VALUES ('"
            + ScimServer.ISSUER
            + "', '"
            + subject
            + "', '{}', '"
            + verifiedEmail
            + "', now(), 'sub', '"
            + subject
            + "')");
  }

  /** The user that names the person by {@code sub}: their everyday account. */
  static String userNamingTheSub(String subject, String email) throws Exception {
    return server.created(
        "Users", new JsonObject().put("userName", email).put("externalId", subject));
  }

  /**
   * Another account of the same person, matched only by the email their issuer verified: its
   * externalId is the directory's own id, not the person's {@code sub}.
   */
  static String secondAccount(String userName, String externalId, String email) throws Exception {
    return server.created(
        "Users",
        new JsonObject()
            .put("userName", userName)
            .put("externalId", externalId)
            .put("emails", new JsonArray().add(new JsonObject().put("value", email))));
  }

  /** The person a directory user is matched to, as its row records it ("" for nobody). */
  static String matchedTo(String userId) throws Exception {
    return AuditTables.strings(
            server.database(),
            "SELECT coalesce(subject, '') FROM directory_users WHERE id = '" + userId + "'")
        .get(0);
  }

  static void patch(String userId, JsonObject operation) throws Exception {
    JsonObject body =
        new JsonObject()
            .put("schemas", new JsonArray().add("urn:ietf:params:scim:api:messages:2.0:PatchOp"))
            .put("Operations", new JsonArray().add(operation));
    var r = server.call("PATCH", "/Users/" + userId, body.encode());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
  }

  /** Entra's way: {@code active} as the string "False" or "True". */
  static void setActive(String userId, boolean active) throws Exception {
    patch(
        userId,
        new JsonObject()
            .put("op", "Replace")
            .put("path", "active")
            .put("value", active ? "True" : "False"));
  }

  static Standing standing(String subject) throws Exception {
    return server
        .viewAfterWrites()
        .standing(new Person(ScimServer.ISSUER, subject, Optional.empty()));
  }

  @Test
  void anotherAccountOfALeaverActiveOrReactivatedDoesNotLetThemBackIn() throws Exception {
    seen("lift-lea", "lea@corp.example");
    String everyday = userNamingTheSub("lift-lea", "lea@corp.example");
    String admin = secondAccount("lea.admin", "entra-7f3a-lea-admin", "lea@corp.example");
    assertThat(matchedTo(admin)).as("the second account is the same person").isEqualTo("lift-lea");

    setActive(everyday, false);
    assertThat(standing("lift-lea")).isInstanceOf(Standing.Deprovisioned.class);

    // The second account stays active and is written to: a profile update, as providers send.
    patch(
        admin,
        new JsonObject().put("op", "replace").put("path", "displayName").put("value", "Lea (adm)"));
    assertThat(standing("lift-lea"))
        .as("an active second account is no way back in")
        .isInstanceOf(Standing.Deprovisioned.class);

    // Deactivated and re-activated: it becomes active, and still lifts nothing.
    setActive(admin, false);
    setActive(admin, true);
    assertThat(standing("lift-lea"))
        .as("re-activating a second account is no way back in either")
        .isInstanceOf(Standing.Deprovisioned.class);

    // The account that made the mark does lift it: a re-hire.
    setActive(everyday, true);
    assertThat(standing("lift-lea")).isEqualTo(new Standing.Member(List.of()));
  }

  @Test
  void onceTheUserThatMadeTheMarkIsDeletedOnlyAUserNamingTheSubLiftsIt() throws Exception {
    seen("lift-max", "max@corp.example");
    String everyday = userNamingTheSub("lift-max", "max@corp.example");
    String ops = secondAccount("max.ops", "okta-00u9-max-ops", "max@corp.example");
    assertThat(matchedTo(ops)).isEqualTo("lift-max");

    assertThat(server.call("DELETE", "/Users/" + everyday, null).statusCode()).isEqualTo(204);
    assertThat(standing("lift-max")).isInstanceOf(Standing.Deprovisioned.class);

    setActive(ops, false);
    setActive(ops, true);
    assertThat(standing("lift-max"))
        .as("the second account, active again, is still not the person")
        .isInstanceOf(Standing.Deprovisioned.class);

    // Re-hired: the provider writes a user that names the person by sub, and that lifts it.
    userNamingTheSub("lift-max", "max@corp.example");
    assertThat(standing("lift-max")).isEqualTo(new Standing.Member(List.of()));
  }
}
