package dev.stint.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * PATCH applied to a document and a member set, without a database: the shapes not sent over HTTP
 * elsewhere.
 */
class ScimPatchTest {
  static final String GROUP = ScimResources.GROUP_SCHEMA;
  static final String USER = ScimResources.USER_SCHEMA;

  static JsonObject body(String... operations) {
    return new JsonObject(
        "{\"schemas\":[\""
            + ScimPatch.SCHEMA
            + "\"],\"Operations\":["
            + String.join(",", operations)
            + "]}");
  }

  static Set<String> members(String doc, Set<String> start, String... operations) {
    Set<String> members = new LinkedHashSet<>(start);
    ScimPatch.apply(
        ScimPatch.read(body(operations), GROUP), new JsonObject(doc), members, "g1", GROUP);
    return members;
  }

  static JsonObject user(String doc, String... operations) {
    JsonObject d = new JsonObject(doc);
    ScimPatch.apply(ScimPatch.read(body(operations), USER), d, null, "u1", USER);
    return d;
  }

  @Test
  void membersAreReplacedRemovedWholeOrGivenWithoutAPath() {
    assertThat(
            members(
                "{}",
                Set.of("a", "b"),
                "{\"op\":\"replace\",\"path\":\"members\",\"value\":[{\"value\":\"c\"}]}"))
        .containsExactly("c");
    assertThat(members("{}", Set.of("a", "b"), "{\"op\":\"remove\",\"path\":\"members\"}"))
        .isEmpty();
    assertThat(
            members(
                "{}",
                Set.of("a"),
                "{\"op\":\"add\",\"value\":{\"members\":[{\"value\":\"b\"}],\"displayName\":\"x\"}}"))
        .containsExactly("a", "b");
    assertThat(
            members(
                "{}",
                Set.of("a"),
                "{\"op\":\"remove\",\"path\":\"members[value eq \\\"nobody\\\"]\"}"))
        .as("removing a member that is not there changes nothing")
        .containsExactly("a");
  }

  @Test
  void operationsApplyInOrder() {
    assertThat(
            members(
                "{}",
                Set.of("a"),
                "{\"op\":\"add\",\"path\":\"members\",\"value\":[{\"value\":\"b\"}]}",
                "{\"op\":\"remove\",\"path\":\"members[value eq \\\"b\\\"]\"}",
                "{\"op\":\"add\",\"path\":\"members\",\"value\":[{\"value\":\"c\"}]}"))
        .containsExactly("a", "c");
  }

  @Test
  void attributesAreFoundWhateverTheirCaseAndSubAttributesAndExtensionsRemoved() {
    JsonObject d =
        user(
            "{\"userName\":\"u\",\"name\":{\"givenName\":\"A\",\"familyName\":\"B\"},"
                + "\"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User\":{\"department\":\"Ops\"},"
                + "\"emails\":[{\"value\":\"w@x\",\"type\":\"work\"},{\"value\":\"h@x\",\"type\":\"home\"}]}",
            "{\"op\":\"Replace\",\"path\":\"NAME.givenname\",\"value\":\"C\"}",
            "{\"op\":\"Remove\",\"path\":\"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department\"}",
            "{\"op\":\"remove\",\"path\":\"emails[type eq \\\"HOME\\\"]\"}",
            "{\"op\":\"replace\",\"value\":{\"name.familyName\":\"D\"}}");
    assertThat(d.getJsonObject("name").getMap())
        .isEqualTo(Map.of("givenName", "C", "familyName", "D"));
    assertThat(
            d.getJsonObject("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User").isEmpty())
        .isTrue();
    assertThat(
            d.getJsonArray("emails").stream()
                .map(e -> ((JsonObject) e).getString("value"))
                .toList())
        .isEqualTo(List.of("w@x"));
  }

  @Test
  void readOnlyAttributesCannotBeChangedButOktasRepeatedIdIsIgnored() {
    assertThat(
            user(
                    "{\"userName\":\"u\"}",
                    "{\"op\":\"replace\",\"value\":{\"id\":\"u1\",\"userName\":\"v\"}}")
                .getString("userName"))
        .isEqualTo("v");
    for (String path : List.of("id", "meta", "schemas", "groups", "meta.version")) {
      assertThatThrownBy(
              () ->
                  user(
                      "{\"userName\":\"u\"}",
                      "{\"op\":\"replace\",\"path\":\"" + path + "\",\"value\":\"x\"}"))
          .isInstanceOfSatisfying(
              ScimException.class, e -> assertThat(e.scimType()).contains("mutability"));
    }
    assertThatThrownBy(
            () -> user("{\"userName\":\"u\"}", "{\"op\":\"replace\",\"value\":{\"id\":\"other\"}}"))
        .isInstanceOfSatisfying(
            ScimException.class, e -> assertThat(e.scimType()).contains("mutability"));
  }

  @Test
  void pathsThatAreNotPathsAreRefused() {
    for (String path :
        List.of(
            "emails[type eq \\\"work\\\"",
            "1abc",
            "emails[type co \\\"w\\\"]",
            "name.given.name",
            "emails[type eq \\\"w\\\" and]")) {
      assertThatThrownBy(
              () ->
                  user(
                      "{\"userName\":\"u\"}",
                      "{\"op\":\"add\",\"path\":\"" + path + "\",\"value\":\"x\"}"))
          .as(path)
          .isInstanceOfSatisfying(
              ScimException.class, e -> assertThat(e.scimType()).contains("invalidPath"));
    }
  }

  @Test
  void aListIsAddedToWithoutDuplicatesAndRemovedFromByValue() {
    JsonObject d =
        user(
            "{\"userName\":\"u\",\"emails\":[{\"value\":\"a@x\"},{\"value\":\"b@x\"}]}",
            "{\"op\":\"add\",\"path\":\"emails\",\"value\":[{\"value\":\"a@x\"},{\"value\":\"c@x\"}]}",
            "{\"op\":\"remove\",\"path\":\"emails\",\"value\":[{\"value\":\"b@x\"}]}");
    assertThat(
            d.getJsonArray("emails").stream()
                .map(e -> ((JsonObject) e).getString("value"))
                .toList())
        .isEqualTo(List.of("a@x", "c@x"));
  }
}
