package dev.stint.directory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.testing.AuditTables;
import dev.stint.testing.ScimServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code /scim/v2} through stint's HTTP stack with raw requests: what a provider sends and gets
 * back, each refusal in SCIM's error schema with nothing changed, and every write in the audit log.
 */
class ScimHttpTest {
  static ScimServer server;

  @BeforeAll
  static void start() throws Exception {
    server = ScimServer.start(Clock.systemUTC());
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  static JsonObject json(HttpResponse<String> r) {
    return new JsonObject(r.body());
  }

  static JsonObject user(String userName, String email) {
    return new JsonObject()
        .put("schemas", new JsonArray().add("urn:ietf:params:scim:schemas:core:2.0:User"))
        .put("userName", userName)
        .put("externalId", "ext-" + userName)
        .put("displayName", "Display " + userName)
        .put("active", true)
        .put(
            "emails",
            new JsonArray()
                .add(
                    new JsonObject().put("value", email).put("type", "work").put("primary", true)));
  }

  static String created(JsonObject body, String type) throws Exception {
    HttpResponse<String> r = server.call("POST", "/" + type, body.encode());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return json(r).getString("id");
  }

  static void assertError(HttpResponse<String> r, int status, String scimType) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type")).contains("application/scim+json");
    JsonObject e = json(r);
    assertThat(e.getJsonArray("schemas").getList())
        .containsExactly("urn:ietf:params:scim:api:messages:2.0:Error");
    assertThat(e.getValue("status")).isEqualTo(String.valueOf(status));
    assertThat(e.getString("scimType")).isEqualTo(scimType);
    assertThat(e.getString("detail")).isNotBlank();
  }

  static long rows(String table, String where) throws Exception {
    return Long.parseLong(
        AuditTables.strings(server.database(), "SELECT count(*) FROM " + table + " WHERE " + where)
            .get(0));
  }

  @Test
  void aUserIsCreatedWithAnAbsoluteLocationItsMetaAndAnAuditEvent() throws Exception {
    HttpResponse<String> r =
        server.call("POST", "/Users", user("alice@corp.example", "Alice@Corp.example").encode());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    assertThat(r.headers().firstValue("Content-Type")).contains("application/scim+json");
    JsonObject u = json(r);
    String id = u.getString("id");
    JsonObject meta = u.getJsonObject("meta");
    assertThat(meta.getString("location"))
        .isEqualTo(ScimServer.PUBLIC_URL + "/scim/v2/Users/" + id);
    assertThat(r.headers().firstValue("Location")).contains(meta.getString("location"));
    assertThat(r.headers().firstValue("ETag")).contains(meta.getString("version"));
    assertThat(meta.getString("resourceType")).isEqualTo("User");
    assertThat(meta.getString("created")).isEqualTo(meta.getString("lastModified"));
    assertThat(u.getBoolean("active")).isTrue();
    assertThat(u.getString("userName")).isEqualTo("alice@corp.example");

    HttpResponse<String> read = server.call("GET", "/Users/" + id, null);
    assertThat(read.statusCode()).isEqualTo(200);
    assertThat(json(read)).isEqualTo(u);
    assertThat(
            AuditTables.count(
                server.database(),
                "type = 'directory.user.created' AND details->>'user_id' = '" + id + "'"))
        .isEqualTo(1);
  }

  @Test
  void withoutTheTokenNothingIsReadOrWritten() throws Exception {
    HttpRequest.Builder none =
        HttpRequest.newBuilder(server.uri("/scim/v2/Users"))
            .header("Content-Type", "application/scim+json")
            .POST(HttpRequest.BodyPublishers.ofString(user("nobody", "n@x.example").encode()));
    HttpResponse<String> r = server.send(none.build());
    assertError(r, 401, null);
    assertThat(r.headers().firstValue("WWW-Authenticate")).contains("Bearer");
    HttpResponse<String> wrong =
        server.send(
            HttpRequest.newBuilder(server.uri("/scim/v2/Users"))
                .header("Authorization", "Bearer " + ScimServer.TOKEN + "x")
                .GET()
                .build());
    assertError(wrong, 401, null);
    assertThat(rows("directory_users", "user_name = 'nobody'")).isZero();
  }

  @Test
  void aSecondUserWithTheSameUserNameInAnyCaseIsRefused() throws Exception {
    created(user("dup@corp.example", "dup@corp.example"), "Users");
    HttpResponse<String> r =
        server.call("POST", "/Users", user("DUP@corp.example", "other@corp.example").encode());
    assertError(r, 409, "uniqueness");
    assertThat(rows("directory_users", "lower(user_name) = 'dup@corp.example'")).isEqualTo(1);
    assertThat(rows("directory_user_emails", "address = 'other@corp.example'")).isZero();
  }

  @Test
  void anUnknownIdIsNotFound() throws Exception {
    assertError(server.call("GET", "/Users/no-such-id", null), 404, null);
    assertError(server.call("GET", "/Groups/no-such-id", null), 404, null);
    assertError(
        server.call("PUT", "/Users/no-such-id", user("x", "x@x.example").encode()), 404, null);
    assertError(server.call("DELETE", "/Groups/no-such-id", null), 404, null);
    assertError(server.call("GET", "/Nothing", null), 404, null);
  }

  @Test
  void aBadFilterIsRefusedAsInvalidFilter() throws Exception {
    for (String filter :
        List.of(
            "userName eq",
            "password eq \"x\"",
            "userName gt \"a\"",
            "(userName eq \"a\"",
            "not (userName eq \"a\")",
            "emails[type eq \"work\"]")) {
      HttpResponse<String> r =
          server.call("GET", "/Users?filter=" + java.net.URLEncoder.encode(filter, "UTF-8"), null);
      assertError(r, 400, "invalidFilter");
    }
  }
}
