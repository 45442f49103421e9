package dev.stint.directory;

import static dev.stint.directory.ScimHttpTest.json;
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
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What outside checks with SCIM clients found stint did otherwise than RFC 7643 and RFC 7644 say,
 * each as the RFC has it: the schemas declare what a member may carry and stint takes it; {@code
 * attributes} and {@code excludedAttributes} narrow every answer that holds a resource; a body that
 * is not one JSON object, or whose {@code schemas} names another resource type, is {@code
 * invalidSyntax}; {@code /Me}, which stint does not support, is 501. Every refusal is SCIM's error
 * document with {@code status} a string, changes nothing and is not audited, as SCIM refusals are
 * not.
 */
class ScimConformanceHttpTest {
  static final String USER = "urn:ietf:params:scim:schemas:core:2.0:User";
  static final String GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
  static final String ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
  static ScimServer server;

  @BeforeAll
  static void start() throws Exception {
    server = ScimServer.start(Clock.systemUTC());
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  static String user(String name) throws Exception {
    return server.created("Users", ScimHttpTest.user(name, name));
  }

  static JsonObject group(String name, JsonArray members) {
    return new JsonObject()
        .put("schemas", new JsonArray().add(GROUP))
        .put("displayName", name)
        .put("members", members);
  }

  static String ref(String type, String id) {
    return ScimServer.PUBLIC_URL + "/scim/v2/" + type + "/" + id;
  }

  static long directoryEvents() throws Exception {
    return AuditTables.count(server.database(), "type LIKE 'directory.%'");
  }

  static long rows(String table, String where) throws Exception {
    return Long.parseLong(
        AuditTables.strings(server.database(), "SELECT count(*) FROM " + table + " WHERE " + where)
            .get(0));
  }

  static Map<String, JsonObject> byName(JsonArray attributes) {
    return attributes.stream()
        .map(a -> (JsonObject) a)
        .collect(Collectors.toMap(a -> a.getString("name"), Function.identity()));
  }

  static JsonObject ok(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isIn(200, 201);
    return json(r);
  }

  static String q(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  // 1. The schemas declare what a member (and a user's group, and an email) carries.

  @Test
  void theGroupSchemaDeclaresEachSubAttributeOfAMemberAsRfc7643Does() throws Exception {
    JsonObject schema = ok(server.call("GET", "/Schemas/" + GROUP, null));
    JsonObject members = byName(schema.getJsonArray("attributes")).get("members");
    assertThat(members.getBoolean("multiValued")).isTrue();
    Map<String, JsonObject> sub = byName(members.getJsonArray("subAttributes"));
    assertThat(sub).containsOnlyKeys("value", "$ref", "type", "display");
    assertThat(sub.get("value").getString("type")).isEqualTo("string");
    assertThat(sub.get("value").getString("mutability")).isEqualTo("immutable");
    assertThat(sub.get("$ref").getString("type")).isEqualTo("reference");
    assertThat(sub.get("$ref").getJsonArray("referenceTypes").getList()).containsExactly("User");
    assertThat(sub.get("$ref").getString("mutability")).isEqualTo("immutable");
    assertThat(sub.get("type").getString("type")).isEqualTo("string");
    assertThat(sub.get("type").getJsonArray("canonicalValues").getList()).containsExactly("User");
    assertThat(sub.get("type").getString("description")).containsIgnoringCase("nested");
    assertThat(sub.get("display").getString("mutability")).isEqualTo("readOnly");
    for (JsonObject a : sub.values()) {
      assertThat(a.getBoolean("multiValued")).as(a.encode()).isFalse();
      assertThat(a.getString("returned")).as(a.encode()).isEqualTo("default");
    }
  }

  @Test
  void theUserSchemaDeclaresEmailsGroupsAndTheAttributesKeptAsSent() throws Exception {
    JsonObject schema = ok(server.call("GET", "/Schemas/" + USER, null));
    Map<String, JsonObject> attributes = byName(schema.getJsonArray("attributes"));
    assertThat(attributes)
        .containsKeys(
            "userName",
            "name",
            "displayName",
            "title",
            "active",
            "emails",
            "phoneNumbers",
            "addresses",
            "groups",
            "roles",
            "externalId");
    assertThat(byName(attributes.get("emails").getJsonArray("subAttributes")))
        .containsOnlyKeys("value", "display", "type", "primary");
    assertThat(byName(attributes.get("name").getJsonArray("subAttributes")))
        .containsKeys("givenName", "familyName", "formatted");
    JsonObject groups = attributes.get("groups");
    assertThat(groups.getString("mutability")).isEqualTo("readOnly");
    assertThat(groups.getBoolean("multiValued")).isTrue();
    Map<String, JsonObject> sub = byName(groups.getJsonArray("subAttributes"));
    assertThat(sub).containsOnlyKeys("value", "$ref", "display", "type");
    assertThat(sub.get("$ref").getString("type")).isEqualTo("reference");
    assertThat(sub.get("$ref").getJsonArray("referenceTypes").getList()).containsExactly("Group");
    assertThat(sub.get("type").getJsonArray("canonicalValues").getList()).containsExactly("direct");
    sub.values().forEach(a -> assertThat(a.getString("mutability")).isEqualTo("readOnly"));
  }

  @Test
  void aMemberGivenWithRefAndTypeIsTakenByPostPutAndPatch() throws Exception {
    String a = user("ref-a@corp.example");
    String b = user("ref-b@corp.example");
    String c = user("ref-c@corp.example");
    JsonObject made =
        ok(
            server.call(
                "POST",
                "/Groups",
                group(
                        "ref-team",
                        new JsonArray()
                            .add(
                                new JsonObject()
                                    .put("value", a)
                                    .put("$ref", ref("Users", a))
                                    .put("type", "User")))
                    .encode()));
    String id = made.getString("id");
    assertThat(ScimPatchHttpTest.members(made)).containsExactly(a);
    JsonObject member = made.getJsonArray("members").getJsonObject(0);
    assertThat(member.getString("$ref")).isEqualTo(ref("Users", a));
    assertThat(member.getString("type")).isEqualTo("User");

    JsonObject replaced =
        ok(
            server.call(
                "PUT",
                "/Groups/" + id,
                group(
                        "ref-team",
                        new JsonArray()
                            .add(new JsonObject().put("value", a).put("type", "user"))
                            .add(new JsonObject().put("$ref", ref("Users", b)).put("type", "User")))
                    .encode()));
    assertThat(ScimPatchHttpTest.members(replaced)).containsExactlyInAnyOrder(a, b);

    JsonObject patched =
        ok(
            server.call(
                "PATCH",
                "/Groups/" + id,
                ScimPatchHttpTest.patch(
                    "{\"op\":\"add\",\"path\":\"members\",\"value\":[{\"value\":\""
                        + c
                        + "\",\"$ref\":\""
                        + ref("Users", c)
                        + "\",\"type\":\"User\",\"display\":\"ref-c\"}]}",
                    "{\"op\":\"remove\",\"path\":\"members\",\"value\":[{\"$ref\":\""
                        + ref("Users", a)
                        + "\"}]}")));
    assertThat(ScimPatchHttpTest.members(patched)).containsExactlyInAnyOrder(b, c);
  }

  @Test
  void aNestedGroupOrAMemberThatContradictsItselfIsRefusedAsInvalidValue() throws Exception {
    String a = user("nested-a@corp.example");
    String inner = server.created("Groups", group("nested-inner", new JsonArray().add(member(a))));
    long events = directoryEvents();
    for (JsonObject m :
        List.of(
            new JsonObject().put("value", inner).put("type", "Group"),
            new JsonObject().put("value", inner).put("$ref", ref("Groups", inner)),
            new JsonObject().put("$ref", ref("Groups", inner)),
            new JsonObject().put("value", a).put("type", "Device"),
            new JsonObject().put("value", a).put("$ref", ref("Users", inner)),
            new JsonObject().put("$ref", "not a reference"),
            new JsonObject().put("type", "User"))) {
      HttpResponse<String> r =
          server.call("POST", "/Groups", group("nested-outer", new JsonArray().add(m)).encode());
      assertError(r, 400, "invalidValue");
      HttpResponse<String> p =
          server.call(
              "PATCH",
              "/Groups/" + inner,
              ScimPatchHttpTest.patch(
                  "{\"op\":\"add\",\"path\":\"members\",\"value\":[" + m.encode() + "]}"));
      assertError(p, 400, "invalidValue");
    }
    assertThat(
            json(server.call(
                    "POST",
                    "/Groups",
                    group(
                            "nested-outer",
                            new JsonArray()
                                .add(new JsonObject().put("value", inner).put("type", "Group")))
                        .encode()))
                .getString("detail"))
        .containsIgnoringCase("nested");
    assertThat(rows("directory_groups", "display_name = 'nested-outer'")).isZero();
    JsonObject unchanged = json(server.call("GET", "/Groups/" + inner, null));
    assertThat(ScimPatchHttpTest.members(unchanged)).containsExactly(a);
    assertThat(unchanged.getJsonObject("meta").getString("version")).isEqualTo("W/\"1\"");
    assertThat(directoryEvents()).isEqualTo(events);
  }

  static JsonObject member(String id) {
    return new JsonObject().put("value", id);
  }

  @Test
  void aUserShowsTheGroupsItIsAMemberOf() throws Exception {
    String a = user("groups-a@corp.example");
    String g1 = server.created("Groups", group("groups-one", new JsonArray().add(member(a))));
    String g2 = server.created("Groups", group("groups-two", new JsonArray().add(member(a))));
    JsonObject u = ok(server.call("GET", "/Users/" + a, null));
    List<JsonObject> groups = u.getJsonArray("groups").stream().map(o -> (JsonObject) o).toList();
    assertThat(groups).extracting(g -> g.getString("value")).containsExactlyInAnyOrder(g1, g2);
    JsonObject one = groups.stream().filter(g -> g.getString("value").equals(g1)).findFirst().get();
    assertThat(one.getString("display")).isEqualTo("groups-one");
    assertThat(one.getString("$ref")).isEqualTo(ref("Groups", g1));
    assertThat(one.getString("type")).isEqualTo("direct");
    JsonObject listed =
        ok(server.call("GET", "/Users?filter=" + q("id eq \"" + a + "\""), null))
            .getJsonArray("Resources")
            .getJsonObject(0);
    assertThat(listed.getJsonArray("groups")).hasSize(2);
    JsonObject renamed =
        ok(
            server.call(
                "PATCH",
                "/Users/" + a,
                ScimPatchHttpTest.patch(
                    "{\"op\":\"replace\",\"path\":\"displayName\",\"value\":\"Renamed\"}")));
    assertThat(renamed.getJsonArray("groups")).hasSize(2);
    JsonObject alone = ok(server.call("GET", "/Users/" + user("groups-b@corp.example"), null));
    assertThat(alone.getJsonArray("groups", new JsonArray())).isEmpty();
  }

  // 2. attributes and excludedAttributes narrow every answer that holds a resource.

  static JsonObject enterpriseUser(String name) {
    return ScimHttpTest.user(name, name)
        .put("schemas", new JsonArray().add(USER).add(ENTERPRISE))
        .put("name", new JsonObject().put("givenName", "Given").put("familyName", "Family"))
        .put("title", "Engineer")
        .put(ENTERPRISE, new JsonObject().put("department", "Ops").put("costCenter", "42"));
  }

  @Test
  void attributesNarrowTheReadOfOneUserToWhatIsAskedAndWhatIsAlwaysReturned() throws Exception {
    String id = server.created("Users", enterpriseUser("attrs@corp.example"));
    String path = "/Users/" + id;
    HttpResponse<String> r = server.call("GET", path + "?attributes=userName", null);
    JsonObject u = ok(r);
    assertThat(u.fieldNames()).containsExactlyInAnyOrder("schemas", "id", "meta", "userName");
    assertThat(u.getJsonArray("schemas").getList()).containsExactly(USER);
    assertThat(r.headers().firstValue("ETag")).contains("W/\"1\"");

    JsonObject subs =
        ok(server.call("GET", path + "?attributes=" + q("NAME.givenName,emails.value"), null));
    assertThat(subs.fieldNames())
        .containsExactlyInAnyOrder("schemas", "id", "meta", "name", "emails");
    assertThat(subs.getJsonObject("name").fieldNames()).containsExactly("givenName");
    assertThat(subs.getJsonArray("emails").getJsonObject(0).fieldNames()).containsExactly("value");

    JsonObject extension =
        ok(server.call("GET", path + "?attributes=" + q(ENTERPRISE + ":department,title"), null));
    assertThat(extension.fieldNames())
        .containsExactlyInAnyOrder("schemas", "id", "meta", "title", ENTERPRISE);
    assertThat(extension.getJsonObject(ENTERPRISE).fieldNames()).containsExactly("department");
    assertThat(extension.getJsonArray("schemas").getList()).containsExactly(USER, ENTERPRISE);

    JsonObject qualified =
        ok(server.call("GET", path + "?attributes=" + q(USER + ":userName"), null));
    assertThat(qualified.fieldNames())
        .containsExactlyInAnyOrder("schemas", "id", "meta", "userName");
    JsonObject wholeExtension = ok(server.call("GET", path + "?attributes=" + q(ENTERPRISE), null));
    assertThat(wholeExtension.getJsonObject(ENTERPRISE).fieldNames())
        .containsExactlyInAnyOrder("department", "costCenter");
  }

  @Test
  void excludedAttributesLeaveOutWhatIsNamedButNeverIdSchemasOrMeta() throws Exception {
    String id = server.created("Users", enterpriseUser("excluded@corp.example"));
    JsonObject full = ok(server.call("GET", "/Users/" + id, null));
    JsonObject u =
        ok(
            server.call(
                "GET",
                "/Users/"
                    + id
                    + "?excludedAttributes="
                    + q("emails,displayName,name.familyName,id,meta,schemas," + ENTERPRISE),
                null));
    JsonObject expected = full.copy();
    expected.remove("emails");
    expected.remove("displayName");
    expected.remove(ENTERPRISE);
    expected.getJsonObject("name").remove("familyName");
    expected.put("schemas", new JsonArray().add(USER));
    assertThat(u).isEqualTo(expected);
  }

  @Test
  void aGroupReadAloneOrListedIsNarrowedAndItsMembersLeftOutWhenNotAsked() throws Exception {
    String a = user("narrow-a@corp.example");
    String id = server.created("Groups", group("narrow-team", new JsonArray().add(member(a))));
    JsonObject excluded =
        ok(server.call("GET", "/Groups/" + id + "?excludedAttributes=members", null));
    assertThat(excluded.fieldNames())
        .containsExactlyInAnyOrder("schemas", "id", "meta", "displayName");
    JsonObject only = ok(server.call("GET", "/Groups/" + id + "?attributes=displayName", null));
    assertThat(only.fieldNames()).containsExactlyInAnyOrder("schemas", "id", "meta", "displayName");
    JsonObject membersOnly =
        ok(server.call("GET", "/Groups/" + id + "?attributes=members.value", null));
    assertThat(membersOnly.getJsonArray("members").getJsonObject(0).fieldNames())
        .containsExactly("value");
    JsonObject listed =
        ok(
            server.call(
                "GET",
                "/Groups?attributes=displayName&filter=" + q("displayName eq \"narrow-team\""),
                null));
    assertThat(listed.getLong("totalResults")).isEqualTo(1);
    assertThat(listed.getJsonArray("Resources").getJsonObject(0).fieldNames())
        .containsExactlyInAnyOrder("schemas", "id", "meta", "displayName");
    JsonObject users =
        ok(
            server.call(
                "GET",
                "/Users?excludedAttributes=emails,groups&filter="
                    + q("userName eq \"narrow-a@corp.example\""),
                null));
    JsonObject listedUser = users.getJsonArray("Resources").getJsonObject(0);
    assertThat(listedUser.containsKey("emails")).isFalse();
    assertThat(listedUser.containsKey("groups")).isFalse();
    assertThat(listedUser.getString("userName")).isEqualTo("narrow-a@corp.example");
  }

  @Test
  void theAnswersOfPostPutAndPatchAreNarrowedToo() throws Exception {
    HttpResponse<String> created =
        server.call(
            "POST",
            "/Users?attributes=userName",
            ScimHttpTest.user("writes@corp.example", "writes@corp.example").encode());
    JsonObject u = ok(created);
    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(u.fieldNames()).containsExactlyInAnyOrder("schemas", "id", "meta", "userName");
    String id = u.getString("id");
    assertThat(created.headers().firstValue("Location"))
        .contains(ScimServer.PUBLIC_URL + "/scim/v2/Users/" + id);
    assertThat(created.headers().firstValue("ETag")).contains("W/\"1\"");
    JsonObject put =
        ok(
            server.call(
                "PUT",
                "/Users/" + id + "?excludedAttributes=emails",
                ScimHttpTest.user("writes@corp.example", "writes@corp.example").encode()));
    assertThat(put.containsKey("emails")).isFalse();
    assertThat(put.getString("displayName")).isEqualTo("Display writes@corp.example");
    JsonObject patched =
        ok(
            server.call(
                "PATCH",
                "/Users/" + id + "?attributes=active",
                ScimPatchHttpTest.patch(
                    "{\"op\":\"replace\",\"path\":\"title\",\"value\":\"x\"}")));
    assertThat(patched.fieldNames()).containsExactlyInAnyOrder("schemas", "id", "meta", "active");
    String g = server.created("Groups", group("writes-team", new JsonArray().add(member(id))));
    JsonObject groupPatched =
        ok(
            server.call(
                "PATCH",
                "/Groups/" + g + "?excludedAttributes=members",
                ScimPatchHttpTest.patch(
                    "{\"op\":\"replace\",\"path\":\"displayName\",\"value\":\"writes-renamed\"}")));
    assertThat(groupPatched.containsKey("members")).isFalse();
    assertThat(groupPatched.getString("displayName")).isEqualTo("writes-renamed");
  }

  @Test
  void askingForBothAttributesAndExcludedAttributesOrABadNameIsInvalidValue() throws Exception {
    String id = user("both@corp.example");
    assertError(
        server.call("GET", "/Users/" + id + "?attributes=userName&excludedAttributes=emails", null),
        400,
        "invalidValue");
    assertError(
        server.call("GET", "/Users?attributes=userName&excludedAttributes=emails", null),
        400,
        "invalidValue");
    assertError(
        server.call("GET", "/Users/" + id + "?attributes=" + q("emails[type eq \"work\"]"), null),
        400,
        "invalidValue");
    long events = directoryEvents();
    assertError(
        server.call(
            "POST",
            "/Users?attributes=userName&excludedAttributes=emails",
            ScimHttpTest.user("both-new@corp.example", "both-new@corp.example").encode()),
        400,
        "invalidValue");
    assertThat(rows("directory_users", "user_name = 'both-new@corp.example'")).isZero();
    assertThat(directoryEvents()).isEqualTo(events);
  }

  // 3. A body that is not one JSON object is invalidSyntax.

  @Test
  void aBodyThatIsNotOneJsonObjectIsInvalidSyntaxOnEveryWrite() throws Exception {
    String id = user("syntax@corp.example");
    String g = server.created("Groups", group("syntax-team", new JsonArray()));
    long events = directoryEvents();
    for (String body : List.of("{\"userName\": ", "[1, 2]", "", "null", "42", "\"text\"", "{,}")) {
      assertError(server.call("POST", "/Users", body), 400, "invalidSyntax");
      assertError(server.call("POST", "/Groups", body), 400, "invalidSyntax");
      assertError(server.call("PUT", "/Users/" + id, body), 400, "invalidSyntax");
      assertError(server.call("PUT", "/Groups/" + g, body), 400, "invalidSyntax");
      assertError(server.call("PATCH", "/Users/" + id, body), 400, "invalidSyntax");
      assertError(server.call("PATCH", "/Groups/" + g, body), 400, "invalidSyntax");
    }
    assertThat(directoryEvents()).isEqualTo(events);
    assertThat(
            ok(server.call("GET", "/Users/" + id, null)).getJsonObject("meta").getString("version"))
        .isEqualTo("W/\"1\"");
  }

  // 4. A resource whose schemas is not its type's is refused.

  @Test
  void aUserWhoseSchemasNameAnotherResourceTypeIsRefusedAsInvalidSyntax() throws Exception {
    long events = directoryEvents();
    for (JsonArray schemas :
        List.of(
            new JsonArray().add(GROUP),
            new JsonArray().add(USER).add(GROUP),
            new JsonArray().add(ENTERPRISE),
            new JsonArray().add("urn:ietf:params:scim:api:messages:2.0:PatchOp"),
            new JsonArray().add(USER).add("urn:ietf:params:scim:api:messages:2.0:ListResponse"),
            new JsonArray(),
            new JsonArray().add(USER).add(7))) {
      JsonObject body =
          ScimHttpTest.user("wrong-schema@corp.example", "wrong-schema@corp.example")
              .put("schemas", schemas);
      assertError(server.call("POST", "/Users", body.encode()), 400, "invalidSyntax");
    }
    assertError(
        server.call(
            "POST",
            "/Users",
            ScimHttpTest.user("wrong-schema@corp.example", "w@corp.example")
                .put("schemas", USER)
                .encode()),
        400,
        "invalidSyntax");
    assertThat(rows("directory_users", "user_name = 'wrong-schema@corp.example'")).isZero();
    assertThat(directoryEvents()).isEqualTo(events);

    JsonObject extended =
        ok(server.call("POST", "/Users", enterpriseUser("right-schema@corp.example").encode()));
    assertThat(extended.getJsonArray("schemas").getList()).containsExactly(USER, ENTERPRISE);
    JsonObject lowercase =
        ScimHttpTest.user("lower-schema@corp.example", "lower-schema@corp.example")
            .put("schemas", new JsonArray().add(USER.toLowerCase(java.util.Locale.ROOT)));
    ok(server.call("POST", "/Users", lowercase.encode()));
    JsonObject none = ScimHttpTest.user("no-schema@corp.example", "no-schema@corp.example");
    none.remove("schemas");
    ok(server.call("POST", "/Users", none.encode()));
  }

  @Test
  void aGroupOrAReplacementWhoseSchemasIsNotItsTypesIsRefused() throws Exception {
    String id = user("replaced-schema@corp.example");
    String g = server.created("Groups", group("schema-team", new JsonArray()));
    long events = directoryEvents();
    assertError(
        server.call(
            "POST",
            "/Groups",
            group("user-schema-team", new JsonArray())
                .put("schemas", new JsonArray().add(USER))
                .encode()),
        400,
        "invalidSyntax");
    assertError(
        server.call(
            "PUT",
            "/Groups/" + g,
            group("schema-team-renamed", new JsonArray())
                .put("schemas", new JsonArray().add(GROUP).add(USER))
                .encode()),
        400,
        "invalidSyntax");
    assertError(
        server.call(
            "PUT",
            "/Users/" + id,
            ScimHttpTest.user("replaced-schema@corp.example", "r@corp.example")
                .put("schemas", new JsonArray().add(GROUP))
                .encode()),
        400,
        "invalidSyntax");
    assertThat(rows("directory_groups", "display_name = 'user-schema-team'")).isZero();
    assertThat(
            ok(server.call("GET", "/Groups/" + g, null)).getJsonObject("meta").getString("version"))
        .isEqualTo("W/\"1\"");
    assertThat(
            ok(server.call("GET", "/Users/" + id, null)).getJsonObject("meta").getString("version"))
        .isEqualTo("W/\"1\"");
    assertThat(directoryEvents()).isEqualTo(events);
  }

  // 5. /Me is not supported: 501 for every method.

  @Test
  void meIsNotImplementedWhateverTheMethod() throws Exception {
    long events = directoryEvents();
    String body = ScimHttpTest.user("me@corp.example", "me@corp.example").encode();
    for (String path : List.of("/Me", "/Me/", "/Me/anything", "/Me?attributes=userName")) {
      assertError(server.call("GET", path, null), 501, null);
      assertError(server.call("DELETE", path, null), 501, null);
      assertError(server.call("POST", path, body), 501, null);
      assertError(server.call("PUT", path, body), 501, null);
      assertError(server.call("PATCH", path, body), 501, null);
    }
    HttpResponse<String> anonymous =
        server.send(HttpRequest.newBuilder(server.uri("/scim/v2/Me")).GET().build());
    assertError(anonymous, 401, null);
    assertThat(json(server.call("GET", "/Me", null)).getValue("status")).isEqualTo("501");
    assertThat(rows("directory_users", "user_name = 'me@corp.example'")).isZero();
    assertThat(directoryEvents()).isEqualTo(events);
  }
}
