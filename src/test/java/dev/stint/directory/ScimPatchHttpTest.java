package dev.stint.directory;

import static dev.stint.directory.ScimHttpTest.json;
import static dev.stint.testing.ScimServer.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.testing.AuditTables;
import dev.stint.testing.ScimServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * PATCH as Okta and Entra ID send it, through the HTTP stack: the bodies below are the shapes their
 * provisioning documentation and traffic show, not the RFC's examples. A refused PATCH changes
 * nothing, not even the version.
 */
class ScimPatchHttpTest {
  static ScimServer server;

  @BeforeAll
  static void start() throws Exception {
    server = ScimServer.start(Clock.systemUTC());
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  static String patch(String... operations) {
    return "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],\"Operations\":["
        + String.join(",", operations)
        + "]}";
  }

  static JsonObject patched(String path, String body) throws Exception {
    HttpResponse<String> r = server.call("PATCH", path, body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return json(r);
  }

  static String user(String name) throws Exception {
    return server.created("Users", ScimHttpTest.user(name, "old-" + name));
  }

  static List<String> members(JsonObject group) {
    return group.getJsonArray("members").stream()
        .map(m -> ((JsonObject) m).getString("value"))
        .sorted()
        .toList();
  }

  static long found(String type, String filter) throws Exception {
    return json(server.call(
            "GET",
            "/" + type + "?filter=" + URLEncoder.encode(filter, StandardCharsets.UTF_8),
            null))
        .getLong("totalResults");
  }

  @Test
  void oktaDeactivatesWithAnObjectOfAttributesAndNoPath() throws Exception {
    String id = user("okta-user@corp.example");
    JsonObject u =
        patched("/Users/" + id, patch("{\"op\":\"replace\",\"value\":{\"active\":false}}"));
    assertThat(u.getBoolean("active")).isFalse();
    assertThat(u.getJsonObject("meta").getString("version")).isEqualTo("W/\"2\"");
    assertThat(found("Users", "userName eq \"okta-user@corp.example\" and active eq false"))
        .isEqualTo(1);
    assertThat(
            AuditTables.count(
                server.database(),
                "type = 'directory.user.updated' AND details->>'user_id' = '"
                    + id
                    + "' AND details->>'active' = 'false'"))
        .isEqualTo(1);
  }

  @Test
  void entraSendsCapitalisedOpsStringBooleansAndFilteredPaths() throws Exception {
    String id = user("entra-user@corp.example");
    JsonObject u =
        patched(
            "/Users/" + id,
            patch(
                "{\"op\":\"Replace\",\"path\":\"active\",\"value\":\"False\"}",
                "{\"op\":\"Add\",\"path\":\"emails[type eq \\\"work\\\"].value\","
                    + "\"value\":\"New.Entra@Corp.example\"}",
                "{\"op\":\"Replace\",\"path\":\"displayName\",\"value\":\"Entra Person\"}",
                "{\"op\":\"Add\",\"path\":\"name.givenName\",\"value\":\"Entra\"}",
                "{\"op\":\"Add\",\"path\":\"urn:ietf:params:scim:schemas:extension:enterprise:2.0:"
                    + "User:department\",\"value\":\"Operations\"}"));
    assertThat(u.getValue("active")).isEqualTo(false);
    assertThat(u.getJsonArray("emails")).hasSize(1);
    assertThat(u.getJsonArray("emails").getJsonObject(0).getString("value"))
        .isEqualTo("New.Entra@Corp.example");
    assertThat(u.getString("displayName")).isEqualTo("Entra Person");
    assertThat(u.getJsonObject("name").getString("givenName")).isEqualTo("Entra");
    assertThat(
            u.getJsonObject("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User")
                .getString("department"))
        .isEqualTo("Operations");
    assertThat(u.getJsonArray("schemas").getList())
        .contains("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User");
    assertThat(found("Users", "emails eq \"new.entra@corp.example\"")).isEqualTo(1);
    assertThat(found("Users", "emails eq \"old-entra-user@corp.example\"")).isZero();

    JsonObject added =
        patched(
            "/Users/" + id,
            patch(
                "{\"op\":\"Add\",\"path\":\"emails[type eq \\\"home\\\"].value\","
                    + "\"value\":\"home@entra.example\"}"));
    assertThat(added.getJsonArray("emails")).hasSize(2);
    assertThat(found("Users", "emails eq \"home@entra.example\"")).isEqualTo(1);
  }

  @Test
  void oktaRenamesAGroupRepeatingItsIdAndAddsAndRemovesMembersByFilter() throws Exception {
    String a = user("okta-a@corp.example");
    String b = user("okta-b@corp.example");
    String c = user("okta-c@corp.example");
    String group = group("okta-team", a, b);
    JsonObject renamed =
        patched(
            "/Groups/" + group,
            patch(
                "{\"op\":\"replace\",\"value\":{\"id\":\""
                    + group
                    + "\",\"displayName\":\"okta-renamed\"}}"));
    assertThat(renamed.getString("displayName")).isEqualTo("okta-renamed");
    assertThat(renamed.getString("id")).isEqualTo(group);
    JsonObject changed =
        patched(
            "/Groups/" + group,
            patch(
                "{\"op\":\"add\",\"path\":\"members\",\"value\":[{\"value\":\""
                    + c
                    + "\",\"display\":\"okta-c\"}]}",
                "{\"op\":\"remove\",\"path\":\"members[value eq \\\"" + a + "\\\"]\"}"));
    assertThat(members(changed)).containsExactlyInAnyOrder(b, c);
    assertThat(found("Groups", "members eq \"" + c + "\"")).isEqualTo(1);
    assertThat(found("Groups", "members eq \"" + a + "\"")).isZero();
    assertThat(
            AuditTables.count(
                server.database(),
                "type = 'directory.group.updated' AND details->>'group_id' = '"
                    + group
                    + "' AND details->>'members_added' = '1'"
                    + " AND details->>'members_removed' = '1'"))
        .isEqualTo(1);
  }

  @Test
  void entraAddsAndRemovesMembersByValueLists() throws Exception {
    String a = user("entra-a@corp.example");
    String b = user("entra-b@corp.example");
    String group = group("entra-team", a);
    JsonObject changed =
        patched(
            "/Groups/" + group,
            patch(
                "{\"op\":\"Add\",\"path\":\"members\",\"value\":[{\"value\":\"" + b + "\"}]}",
                "{\"op\":\"Remove\",\"path\":\"members\",\"value\":[{\"value\":\"" + a + "\"}]}"));
    assertThat(members(changed)).containsExactly(b);
    HttpResponse<String> excluded =
        server.call(
            "GET",
            "/Groups?excludedAttributes=members&filter="
                + URLEncoder.encode("displayName eq \"ENTRA-team\"", StandardCharsets.UTF_8),
            null);
    JsonObject listed = json(excluded).getJsonArray("Resources").getJsonObject(0);
    assertThat(listed.getString("id")).isEqualTo(group);
    assertThat(listed.containsKey("members")).isFalse();
  }

  @Test
  void aRefusedPatchChangesNothing() throws Exception {
    String a = user("refused-a@corp.example");
    String group = group("refused-team", a);
    String path = "/Groups/" + group;
    assertError(
        server.call(
            "PATCH",
            path,
            patch(
                "{\"op\":\"add\",\"path\":\"members\",\"value\":[{\"value\":\"no-such-user\"}]}")),
        400,
        "invalidValue");
    assertError(
        server.call(
            "PATCH",
            path,
            patch(
                "{\"op\":\"replace\",\"path\":\"displayName\",\"value\":\"changed\"}",
                "{\"op\":\"replace\",\"path\":\"id\",\"value\":\"other\"}")),
        400,
        "mutability");
    assertError(server.call("PATCH", path, patch("{\"op\":\"remove\"}")), 400, "noTarget");
    assertError(
        server.call("PATCH", path, patch("{\"op\":\"move\",\"path\":\"displayName\"}")),
        400,
        "invalidSyntax");
    assertError(
        server.call("PATCH", path, "{\"Operations\":[{\"op\":\"remove\",\"path\":\"members\"}]}"),
        400,
        "invalidSyntax");
    assertError(
        server.call(
            "PATCH", path, patch("{\"op\":\"remove\",\"path\":\"members[display co \\\"x\\\"]\"}")),
        400,
        "invalidPath");
    String userPath = "/Users/" + a;
    assertError(
        server.call(
            "PATCH",
            userPath,
            patch("{\"op\":\"replace\",\"path\":\"active\",\"value\":\"Maybe\"}")),
        400,
        "invalidValue");
    assertError(
        server.call("PATCH", userPath, patch("{\"op\":\"remove\",\"path\":\"userName\"}")),
        400,
        "invalidValue");
    JsonObject g = json(server.call("GET", path, null));
    assertThat(g.getString("displayName")).isEqualTo("refused-team");
    assertThat(members(g)).containsExactly(a);
    assertThat(g.getJsonObject("meta").getString("version")).isEqualTo("W/\"1\"");
    JsonObject u = json(server.call("GET", userPath, null));
    assertThat(u.getBoolean("active")).isTrue();
    assertThat(u.getJsonObject("meta").getString("version")).isEqualTo("W/\"1\"");
  }

  static String group(String name, String... members) throws Exception {
    JsonArray list = new JsonArray();
    for (String m : members) {
      list.add(new JsonObject().put("value", m));
    }
    return server.created(
        "Groups",
        new JsonObject()
            .put("schemas", new JsonArray().add("urn:ietf:params:scim:schemas:core:2.0:Group"))
            .put("displayName", name)
            .put("members", list));
  }
}
