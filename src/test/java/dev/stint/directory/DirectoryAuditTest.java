package dev.stint.directory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.testing.AuditTables;
import dev.stint.testing.ScimServer;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The audit events a provider's deletions leave, through SCIM: who is recorded as acting, what is
 * recorded of the thing deleted, and that a name shaped like a secret is withheld from the log.
 */
class DirectoryAuditTest {
  // Shaped like a JWT: three dot-separated base64url parts, the first a JSON header's encoding.
  static final String TOKEN_SHAPED = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhZGEifQ.c2lnbmF0dXJl";

  static ScimServer server;

  @BeforeAll
  static void start() throws Exception {
    server = ScimServer.start(Clock.systemUTC());
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  /** The audit row of this type about {@code id}, as columns; exactly one must exist. */
  static List<String> event(String type, String idDetail, String id) throws Exception {
    String where = "type = '" + type + "' AND details->>'" + idDetail + "' = '" + id + "'";
    assertThat(AuditTables.count(server.database(), where)).isEqualTo(1);
    return List.of(
        AuditTables.strings(
                server.database(),
                "SELECT concat_ws('|', actor_issuer, actor_subject, outcome, client_address)"
                    + " FROM audit_events WHERE "
                    + where)
            .get(0),
        AuditTables.strings(
                server.database(), "SELECT details::text FROM audit_events WHERE " + where)
            .get(0));
  }

  @Test
  void aDeletedGroupIsRecordedAsTheScimTokensDoingWithItsIdAndName() throws Exception {
    String id = server.created("Groups", new JsonObject().put("displayName", "audit-leavers"));

    assertThat(server.call("DELETE", "/Groups/" + id, null).statusCode()).isEqualTo(204);

    List<String> row = event("directory.group.deleted", "group_id", id);
    assertThat(row.get(0)).isEqualTo("stint|scim|ok|127.0.0.1");
    JsonObject details = new JsonObject(row.get(1));
    assertThat(details.getString("group_id")).isEqualTo(id);
    assertThat(details.getString("display_name")).isEqualTo("audit-leavers");
  }

  @Test
  void aDeletedGroupsNameShapedLikeASecretIsWithheldButTheRestIsKept() throws Exception {
    String id =
        server.created(
            "Groups",
            new JsonObject().put("displayName", "pasted " + TOKEN_SHAPED + " by mistake"));

    assertThat(server.call("DELETE", "/Groups/" + id, null).statusCode()).isEqualTo(204);

    String shown =
        new JsonObject(event("directory.group.deleted", "group_id", id).get(1))
            .getString("display_name");
    assertThat(shown).doesNotContain(TOKEN_SHAPED).startsWith("pasted ").endsWith(" by mistake");
    assertThat(shown).contains("withheld");
  }

  @Test
  void aDeletedUsersNameShapedLikeASecretIsWithheld() throws Exception {
    String id = server.created("Users", new JsonObject().put("userName", TOKEN_SHAPED));

    assertThat(server.call("DELETE", "/Users/" + id, null).statusCode()).isEqualTo(204);

    List<String> row = event("directory.user.deleted", "user_id", id);
    assertThat(row.get(0)).isEqualTo("stint|scim|ok|127.0.0.1");
    assertThat(new JsonObject(row.get(1)).getString("user_name"))
        .doesNotContain(TOKEN_SHAPED)
        .contains("withheld");
  }
}
