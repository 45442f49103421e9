package dev.stint.directory;

import dev.stint.directory.DirectoryStore.Member;
import dev.stint.directory.DirectoryStore.Membership;
import dev.stint.directory.DirectoryStore.Stored;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * Resources as the wire shows them: {@code schemas}, {@code id}, the stored attributes, a group's
 * members or a user's groups, and {@code meta} with an absolute {@code location} under the server's
 * public URL (RFC 7643, section 3.1), and list responses (RFC 7644, section 3.4.2).
 */
final class ScimResources {
  static final String USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User";
  static final String GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group";
  static final String LIST_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse";

  /** The path the service provider is mounted at, under the public URL. */
  public static final String BASE_PATH = "/scim/v2";

  private final String base;

  /** {@code publicUrl}: the server's public URL, where the providers reach it. */
  ScimResources(URI publicUrl) {
    String url = publicUrl.toString();
    this.base = (url.endsWith("/") ? url.substring(0, url.length() - 1) : url) + BASE_PATH;
  }

  String location(String type, String id) {
    return base + "/" + type + (id.isEmpty() ? "" : "/" + id);
  }

  /**
   * A user, with the groups it is a member of ({@code groups}, left out when it is in none, or when
   * they were not asked for); each a direct membership, as nested groups are not taken.
   */
  JsonObject user(Stored s, List<Membership> groups) {
    JsonObject out = resource(USER_SCHEMA, "User", "Users", s);
    if (!groups.isEmpty()) {
      JsonArray array = new JsonArray();
      for (Membership g : groups) {
        array.add(
            new JsonObject()
                .put("value", g.group())
                .put("$ref", location("Groups", g.group()))
                .put("display", g.display())
                .put("type", "direct"));
      }
      out.put("groups", array);
    }
    return out.put("meta", out.remove("meta"));
  }

  /** A group; {@code members} empty when they were not asked for. */
  JsonObject group(Stored s, Optional<List<Member>> members) {
    JsonObject out = resource(GROUP_SCHEMA, "Group", "Groups", s);
    members.ifPresent(
        list -> {
          JsonArray array = new JsonArray();
          for (Member m : list) {
            array.add(
                new JsonObject()
                    .put("value", m.id())
                    .put("display", m.display())
                    .put("$ref", location("Users", m.id()))
                    .put("type", "User"));
          }
          out.put("members", array);
        });
    return out.put("meta", out.remove("meta"));
  }

  private JsonObject resource(String schema, String resourceType, String type, Stored s) {
    JsonArray schemas = new JsonArray().add(schema);
    s.attributes().fieldNames().stream()
        .filter(k -> k.regionMatches(true, 0, "urn:", 0, 4))
        .sorted()
        .forEach(schemas::add);
    JsonObject out = new JsonObject().put("schemas", schemas).put("id", s.id());
    s.attributes().forEach(e -> out.put(e.getKey(), e.getValue()));
    return out.put(
        "meta",
        new JsonObject()
            .put("resourceType", resourceType)
            .put("created", s.created().toString())
            .put("lastModified", s.updated().toString())
            .put("version", ScimVersion.etag(s.version()))
            .put("location", location(type, s.id())));
  }

  static JsonObject list(long total, long startIndex, List<JsonObject> resources) {
    return new JsonObject()
        .put("schemas", new JsonArray().add(LIST_SCHEMA))
        .put("totalResults", total)
        .put("itemsPerPage", resources.size())
        .put("startIndex", startIndex)
        .put("Resources", new JsonArray(List.copyOf(resources)));
  }
}
