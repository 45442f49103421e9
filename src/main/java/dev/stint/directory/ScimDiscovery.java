package dev.stint.directory;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * {@code ServiceProviderConfig}, {@code ResourceTypes} and {@code Schemas} (RFC 7644, section 4):
 * what this provider supports, stated as it is (PATCH, filters, ETags; no bulk, sorting or password
 * changes), and the attributes stint reads of users and groups.
 */
public final class ScimDiscovery {
  static final String CONFIG_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig";
  static final String TYPE_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:ResourceType";
  static final String SCHEMA_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Schema";

  private final ScimResources resources;

  ScimDiscovery(ScimResources resources) {
    this.resources = resources;
  }

  public JsonObject serviceProviderConfig() {
    return new JsonObject()
        .put("schemas", new JsonArray().add(CONFIG_SCHEMA))
        .put("patch", supported(true))
        .put("bulk", supported(false).put("maxOperations", 0).put("maxPayloadSize", 0))
        .put("filter", supported(true).put("maxResults", ListQuery.MAX_COUNT))
        .put("changePassword", supported(false))
        .put("sort", supported(false))
        .put("etag", supported(true))
        .put(
            "authenticationSchemes",
            new JsonArray()
                .add(
                    new JsonObject()
                        .put("type", "oauthbearertoken")
                        .put("name", "Bearer token")
                        .put("description", "The token set as directory.scim_token")
                        .put("primary", true)))
        .put(
            "meta", meta("ServiceProviderConfig", resources.location("ServiceProviderConfig", "")));
  }

  public JsonObject resourceTypes() {
    return list(List.of(userType(), groupType()));
  }

  public JsonObject schemas() {
    return list(List.of(userSchema(), groupSchema()));
  }

  /** One resource type or schema by its name or URN; null when there is none. */
  public JsonObject resourceType(String name) {
    return pick(List.of(userType(), groupType()), name);
  }

  public JsonObject schema(String urn) {
    return pick(List.of(userSchema(), groupSchema()), urn);
  }

  private static JsonObject pick(List<JsonObject> all, String id) {
    return all.stream().filter(o -> o.getString("id").equals(id)).findFirst().orElse(null);
  }

  private JsonObject userType() {
    return type("User", "Users", ScimResources.USER_SCHEMA);
  }

  private JsonObject groupType() {
    return type("Group", "Groups", ScimResources.GROUP_SCHEMA);
  }

  private JsonObject type(String name, String endpoint, String schema) {
    return new JsonObject()
        .put("schemas", new JsonArray().add(TYPE_SCHEMA))
        .put("id", name)
        .put("name", name)
        .put("endpoint", "/" + endpoint)
        .put("schema", schema)
        .put("meta", meta("ResourceType", resources.location("ResourceTypes", name)));
  }

  private JsonObject userSchema() {
    return schema(
        ScimResources.USER_SCHEMA,
        "User",
        new JsonArray()
            .add(attribute("userName", "string", true, false).put("uniqueness", "server"))
            .add(attribute("externalId", "string", false, true))
            .add(attribute("displayName", "string", false, false))
            .add(attribute("active", "boolean", false, false))
            .add(
                attribute("emails", "complex", false, false)
                    .put("multiValued", true)
                    .put(
                        "subAttributes",
                        new JsonArray()
                            .add(attribute("value", "string", false, false))
                            .add(attribute("type", "string", false, false))
                            .add(attribute("primary", "boolean", false, false)))));
  }

  private JsonObject groupSchema() {
    return schema(
        ScimResources.GROUP_SCHEMA,
        "Group",
        new JsonArray()
            .add(attribute("displayName", "string", true, false).put("uniqueness", "server"))
            .add(attribute("externalId", "string", false, true))
            .add(
                attribute("members", "complex", false, false)
                    .put("multiValued", true)
                    .put(
                        "subAttributes",
                        new JsonArray()
                            .add(
                                attribute("value", "string", false, true)
                                    .put("mutability", "immutable"))
                            .add(
                                attribute("display", "string", false, false)
                                    .put("mutability", "readOnly")))));
  }

  private JsonObject schema(String urn, String name, JsonArray attributes) {
    return new JsonObject()
        .put("schemas", new JsonArray().add(SCHEMA_SCHEMA))
        .put("id", urn)
        .put("name", name)
        .put("attributes", attributes)
        .put("meta", meta("Schema", resources.location("Schemas", urn)));
  }

  private static JsonObject attribute(String name, String type, boolean required, boolean exact) {
    return new JsonObject()
        .put("name", name)
        .put("type", type)
        .put("multiValued", false)
        .put("required", required)
        .put("caseExact", exact)
        .put("mutability", "readWrite")
        .put("returned", "default")
        .put("uniqueness", "none");
  }

  private static JsonObject supported(boolean yes) {
    return new JsonObject().put("supported", yes);
  }

  private static JsonObject meta(String resourceType, String location) {
    return new JsonObject().put("resourceType", resourceType).put("location", location);
  }

  private static JsonObject list(List<JsonObject> resources) {
    return ScimResources.list(resources.size(), 1, resources);
  }
}
