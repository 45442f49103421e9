package dev.stint.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How {@code attributes} and {@code excludedAttributes} narrow one resource (RFC 7644, 3.9). */
class ScimAttributesTest {
  static final JsonObject USER =
      new JsonObject(
          "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\","
              + "\"urn:x:ext\"],\"id\":\"u1\",\"userName\":\"ann\","
              + "\"emails\":[{\"value\":\"a@x\",\"type\":\"work\",\"primary\":true},"
              + "{\"value\":\"b@x\",\"type\":\"home\"},{\"display\":\"no value\"}],"
              + "\"name\":{\"givenName\":\"Ann\",\"familyName\":\"Lee\"},"
              + "\"urn:x:ext\":{\"team\":\"ops\"},"
              + "\"meta\":{\"resourceType\":\"User\",\"version\":\"W/\\\"1\\\"\"}}");

  static ScimAttributes only(String names) {
    return ScimAttributes.of(Optional.of(names), Optional.empty());
  }

  static ScimAttributes without(String names) {
    return ScimAttributes.of(Optional.empty(), Optional.of(names));
  }

  @Test
  void subAttributesOfAListAreKeptTogetherElementByElementAndEmptyOnesLeftOut() {
    JsonObject u = only("emails.value, EMAILS.type").apply(USER);
    assertThat(u.getJsonArray("emails").encode())
        .isEqualTo("[{\"value\":\"a@x\",\"type\":\"work\"},{\"value\":\"b@x\",\"type\":\"home\"}]");
    assertThat(only("emails.value,emails").apply(USER).getJsonArray("emails"))
        .isEqualTo(USER.getJsonArray("emails"));
    assertThat(only("emails.nothing").apply(USER).containsKey("emails")).isFalse();
    assertThat(USER.getJsonArray("emails")).hasSize(3);
  }

  @Test
  void theOrderOfAnAnswerKeepsMetaLastAndAnExtensionLeftOutLeavesSchemas() {
    JsonObject u = only("userName,nothing,urn:x:other:team").apply(USER);
    assertThat(u.fieldNames()).containsExactly("schemas", "id", "userName", "meta");
    assertThat(u.getJsonArray("schemas").getList())
        .containsExactly("urn:ietf:params:scim:schemas:core:2.0:User");
    assertThat(only("urn:x:ext:team").apply(USER).getJsonArray("schemas").getList())
        .containsExactly("urn:ietf:params:scim:schemas:core:2.0:User", "urn:x:ext");
  }

  @Test
  void excludingSubAttributesDropsWhatIsLeftEmpty() {
    JsonObject u = without("emails.value,emails.type,emails.primary,name.givenName").apply(USER);
    assertThat(u.getJsonArray("emails").encode()).isEqualTo("[{\"display\":\"no value\"}]");
    assertThat(u.getJsonObject("name").encode()).isEqualTo("{\"familyName\":\"Lee\"}");
    assertThat(without("urn:x:ext:team").apply(USER).containsKey("urn:x:ext")).isFalse();
    assertThat(without("id,schemas,meta.version").apply(USER)).isEqualTo(USER);
  }

  @Test
  void whatAReadNeedsToLoad() {
    assertThat(ScimAttributes.ALL.wants("members")).isTrue();
    assertThat(only("displayName").wants("members")).isFalse();
    assertThat(only("members.value").wants("members")).isTrue();
    assertThat(only("urn:ietf:params:scim:schemas:core:2.0:Group:members").wants("members"))
        .isTrue();
    assertThat(only("membersOnly").wants("members")).isFalse();
    assertThat(without("members").wants("members")).isFalse();
    assertThat(without("members.display").wants("members")).isTrue();
    assertThat(ScimAttributes.of(Optional.of(" "), Optional.of(""))).isSameAs(ScimAttributes.ALL);
  }

  @Test
  void badNamesAndBothParametersAreInvalidValue() {
    for (String bad : new String[] {"emails[type eq \"work\"]", "a.b.c", "9lives", "user name"}) {
      assertThatThrownBy(() -> only(bad))
          .isInstanceOfSatisfying(
              ScimException.class, e -> assertThat(e.scimType()).as(bad).contains("invalidValue"));
    }
    assertThatThrownBy(() -> ScimAttributes.of(Optional.of("a"), Optional.of("b")))
        .isInstanceOfSatisfying(
            ScimException.class, e -> assertThat(e.scimType()).contains("invalidValue"));
  }
}
