package dev.stint.directory;

import static dev.stint.testing.ScimServer.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.testing.AuditTables;
import dev.stint.testing.ScimServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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
    return server.created(type, body);
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

  /**
   * The token is taken only as a Bearer credential (the scheme in any case), and every refusal is
   * counted while an admitted call is not.
   */
  @Test
  void theTokenCountsOnlyAsABearerCredentialAndOnlyRefusalsAreCounted() throws Exception {
    long before = server.scim().unauthenticated();
    for (String scheme : List.of("Basic ", "Digest ", "Bearerx")) {
      HttpResponse<String> r =
          server.send(
              HttpRequest.newBuilder(server.uri("/scim/v2/Users"))
                  .header("Authorization", scheme + ScimServer.TOKEN)
                  .GET()
                  .build());
      assertError(r, 401, null);
    }
    assertThat(server.scim().unauthenticated()).isEqualTo(before + 3);

    HttpResponse<String> lower =
        server.send(
            HttpRequest.newBuilder(server.uri("/scim/v2/Users"))
                .header("Authorization", "bearer " + ScimServer.TOKEN)
                .GET()
                .build());
    assertThat(lower.statusCode()).isEqualTo(200);
    assertThat(server.scim().unauthenticated()).isEqualTo(before + 3);
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
      HttpResponse<String> r = server.call("GET", "/Users?filter=" + q(filter), null);
      assertError(r, 400, "invalidFilter");
    }
  }

  @Test
  void filtersFindUsersByNameEmailAndExternalIdAndPagesCount() throws Exception {
    for (int i = 1; i <= 5; i++) {
      created(user("page" + i + "@filter.example", "Page" + i + "@Mail.Filter.example"), "Users");
    }
    JsonObject byName = list("/Users?filter=" + q("userName eq \"PAGE3@filter.example\""));
    assertThat(byName.getLong("totalResults")).isEqualTo(1);
    assertThat(byName.getJsonArray("Resources").getJsonObject(0).getString("userName"))
        .isEqualTo("page3@filter.example");
    assertThat(list("/Users?filter=" + q("emails co \"mail.filter\"")).getLong("totalResults"))
        .isEqualTo(5);
    assertThat(
            list("/Users?filter=" + q("emails.value eq \"page2@mail.filter.example\""))
                .getLong("totalResults"))
        .isEqualTo(1);
    assertThat(
            list("/Users?filter=" + q("externalId eq \"ext-page4@filter.example\""))
                .getLong("totalResults"))
        .isEqualTo(1);
    assertThat(
            list("/Users?filter=" + q("externalId eq \"EXT-page4@filter.example\""))
                .getLong("totalResults"))
        .as("externalId is case-exact")
        .isZero();
    assertThat(
            list("/Users?filter="
                    + q(
                        "displayName sw \"display page\" and (userName eq \"page1@filter.example\""
                            + " or userName eq \"page5@filter.example\")"))
                .getLong("totalResults"))
        .isEqualTo(2);
    assertThat(list("/Users?filter=" + q("userName co \"%\"")).getLong("totalResults"))
        .as("a LIKE wildcard in a value is a literal character")
        .isZero();

    JsonObject page = list("/Users?filter=" + q("userName sw \"page\"") + "&startIndex=2&count=2");
    assertThat(page.getLong("totalResults")).isEqualTo(5);
    assertThat(page.getLong("startIndex")).isEqualTo(2);
    assertThat(page.getLong("itemsPerPage")).isEqualTo(2);
    assertThat(page.getJsonArray("schemas").getList())
        .containsExactly("urn:ietf:params:scim:api:messages:2.0:ListResponse");
    assertThat(
            page.getJsonArray("Resources").stream()
                .map(o -> ((JsonObject) o).getString("userName"))
                .toList())
        .containsExactly("page2@filter.example", "page3@filter.example");
    JsonObject past = list("/Users?filter=" + q("userName sw \"page\"") + "&startIndex=9");
    assertThat(past.getLong("totalResults")).isEqualTo(5);
    assertThat(past.getJsonArray("Resources")).isEmpty();
    assertError(server.call("GET", "/Users?count=many", null), 400, "invalidValue");
  }

  /**
   * Filters on whether a user is active and on their addresses: present, equal (in any case, as
   * addresses are compared), not equal, and contained; each answer counts exactly the users it
   * names, among others that it must leave out.
   */
  @Test
  void filtersOnActiveAndOnEmailsCountOnlyTheUsersTheyName() throws Exception {
    created(user("on1@active.example", "On1@Active.example"), "Users");
    created(user("on2@active.example", "on2@active.example"), "Users");
    created(user("off@active.example", "off@active.example").put("active", false), "Users");
    created(user("bare@active.example", "x@x.example").put("emails", new JsonArray()), "Users");
    String mine = " and userName ew \"@active.example\"";

    assertThat(list("/Users?filter=" + q("active eq false" + mine)).getLong("totalResults"))
        .isEqualTo(1);
    assertThat(list("/Users?filter=" + q("active ne false" + mine)).getLong("totalResults"))
        .isEqualTo(3);
    assertThat(list("/Users?filter=" + q("emails pr" + mine)).getLong("totalResults")).isEqualTo(3);
    assertThat(
            list("/Users?filter=" + q("emails eq \"ON1@active.EXAMPLE\"" + mine))
                .getLong("totalResults"))
        .isEqualTo(1);
    assertThat(
            list("/Users?filter=" + q("emails ne \"on1@active.example\"" + mine))
                .getLong("totalResults"))
        .as("the users without that address, those with none among them")
        .isEqualTo(3);
    assertThat(list("/Users?filter=" + q("emails co \"on\"" + mine)).getLong("totalResults"))
        .isEqualTo(2);
    assertError(
        server.call("GET", "/Users?filter=" + q("active gt true"), null), 400, "invalidFilter");
    assertError(
        server.call("GET", "/Users?filter=" + q("active eq \"yes\""), null), 400, "invalidFilter");
  }

  /** An empty filter, count or startIndex is as if it were not given, for users and groups. */
  @Test
  void anEmptyFilterOrPageParameterIsLeftOut() throws Exception {
    for (String type : List.of("Users", "Groups")) {
      JsonObject all = list("/" + type);
      JsonObject blank = list("/" + type + "?filter=%20&count=&startIndex=");
      assertThat(blank.getLong("totalResults")).isEqualTo(all.getLong("totalResults"));
      assertThat(blank.getLong("startIndex")).isEqualTo(1);
    }
  }

  @Test
  void aSecondGroupWithTheSameDisplayNameIsRefused() throws Exception {
    JsonObject group =
        new JsonObject()
            .put("schemas", new JsonArray().add("urn:ietf:params:scim:schemas:core:2.0:Group"))
            .put("displayName", "twins");
    created(group, "Groups");
    HttpResponse<String> r = server.call("POST", "/Groups", group.encode());
    assertError(r, 409, "uniqueness");
    assertThat(json(r).getString("detail")).contains("a group with this displayName exists");
    assertThat(rows("directory_groups", "display_name = 'twins'")).isEqualTo(1);
  }

  @Test
  void aBodyMustBeScimOrPlainJsonOneObjectAndWithinTheLimit() throws Exception {
    HttpResponse<String> text =
        server.send(
            HttpRequest.newBuilder(server.uri("/scim/v2/Users"))
                .header("Authorization", "Bearer " + ScimServer.TOKEN)
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(user("text", "t@x.example").encode()))
                .build());
    assertError(text, 415, null);
    HttpResponse<String> plain =
        server.send(
            HttpRequest.newBuilder(server.uri("/scim/v2/Users"))
                .header("Authorization", "Bearer " + ScimServer.TOKEN)
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(user("plain", "p@x.example").encode()))
                .build());
    assertThat(plain.statusCode()).as(plain.body()).isEqualTo(201);
    assertError(server.call("POST", "/Users", "[1, 2]"), 400, "invalidSyntax");
    assertError(server.call("POST", "/Users", "{\"userName\": "), 400, "invalidSyntax");
    assertError(
        server.call("POST", "/Users", "{\"displayName\": \"no name\"}"), 400, "invalidValue");
    assertError(
        server.call(
            "POST", "/Users", user("big", "b@x.example").put("title", "x".repeat(70_000)).encode()),
        413,
        null);
    assertThat(rows("directory_users", "user_name IN ('text', 'big')")).isZero();
  }

  @Test
  void replaceChecksTheVersionAndDeleteTakesTheUserOutOfItsGroups() throws Exception {
    String id = created(user("versioned@corp.example", "v@corp.example"), "Users");
    String group =
        created(
            new JsonObject()
                .put("displayName", "versioned-team")
                .put("members", new JsonArray().add(new JsonObject().put("value", id))),
            "Groups");
    HttpResponse<String> stale =
        server.send(
            HttpRequest.newBuilder(server.uri("/scim/v2/Users/" + id))
                .header("Authorization", "Bearer " + ScimServer.TOKEN)
                .header("Content-Type", "application/scim+json")
                .header("If-Match", "W/\"7\"")
                .PUT(
                    HttpRequest.BodyPublishers.ofString(
                        user("renamed@corp.example", "v@corp.example").encode()))
                .build());
    assertError(stale, 412, null);
    HttpResponse<String> put =
        server.call(
            "PUT",
            "/Users/" + id,
            user("renamed@corp.example", "v@corp.example").put("active", false).encode());
    assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
    assertThat(json(put).getString("userName")).isEqualTo("renamed@corp.example");
    assertThat(json(put).getBoolean("active")).isFalse();
    assertThat(json(put).getJsonObject("meta").getString("version")).isEqualTo("W/\"2\"");

    HttpResponse<String> deleted = server.call("DELETE", "/Users/" + id, null);
    assertThat(deleted.statusCode()).isEqualTo(204);
    assertThat(deleted.body()).isEmpty();
    assertError(server.call("GET", "/Users/" + id, null), 404, null);
    JsonObject g = json(server.call("GET", "/Groups/" + group, null));
    assertThat(g.getJsonArray("members")).isEmpty();
    assertThat(
            AuditTables.count(
                server.database(),
                "type = 'directory.user.deleted' AND details->>'user_id' = '" + id + "'"))
        .isEqualTo(1);
  }

  @Test
  void discoverySaysWhatIsSupported() throws Exception {
    JsonObject config = json(server.call("GET", "/ServiceProviderConfig", null));
    assertThat(config.getJsonObject("patch").getBoolean("supported")).isTrue();
    assertThat(config.getJsonObject("bulk").getBoolean("supported")).isFalse();
    assertThat(config.getJsonObject("filter").getInteger("maxResults")).isEqualTo(200);
    assertThat(config.getJsonObject("etag").getBoolean("supported")).isTrue();
    assertThat(config.getJsonObject("meta").getString("location"))
        .isEqualTo(ScimServer.PUBLIC_URL + "/scim/v2/ServiceProviderConfig");
    JsonObject types = json(server.call("GET", "/ResourceTypes", null));
    assertThat(types.getLong("totalResults")).isEqualTo(2);
    assertThat(json(server.call("GET", "/ResourceTypes/Group", null)).getString("endpoint"))
        .isEqualTo("/Groups");
    JsonObject schemas = json(server.call("GET", "/Schemas", null));
    assertThat(
            schemas.getJsonArray("Resources").stream().map(o -> ((JsonObject) o).getString("id")))
        .containsExactly(
            "urn:ietf:params:scim:schemas:core:2.0:User",
            "urn:ietf:params:scim:schemas:core:2.0:Group");
    assertError(server.call("GET", "/Schemas/urn:nothing", null), 404, null);
  }

  static JsonObject list(String path) throws Exception {
    HttpResponse<String> r = server.call("GET", path, null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return json(r);
  }

  static String q(String filter) {
    return URLEncoder.encode(filter, StandardCharsets.UTF_8);
  }
}
