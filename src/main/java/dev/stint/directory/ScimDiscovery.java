package dev.stint.directory;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * {@code ServiceProviderConfig}, {@code ResourceTypes} and {@code Schemas} (RFC 7644, section 4):
 * what this provider supports, stated as it is (PATCH, filters, ETags; no bulk, sorting or password
 * changes), and the attributes of users and groups as RFC 7643 declares them, with what stint does
 * not take (nested groups) said in the schema itself.
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

  /**
   * The User schema as RFC 7643 (section 8.7.1) has it, with stint's characteristics: the
   * attributes stint reads ({@code userName}, {@code externalId}, {@code displayName}, {@code
   * active}, {@code emails}), those it keeps as sent and returns ({@code name}, {@code title}, …),
   * and {@code groups}, read-only and direct only (nested groups are not taken). A schema-driven
   * client sends what is declared here, and stint takes all of it.
   */
  private JsonObject userSchema() {
    return schema(
        ScimResources.USER_SCHEMA,
        "User",
        new JsonArray()
            .add(attribute("userName", "string", true, false).put("uniqueness", "server"))
            .add(
                complex(
                    "name",
                    false,
                    text("formatted"),
                    text("familyName"),
                    text("givenName"),
                    text("middleName"),
                    text("honorificPrefix"),
                    text("honorificSuffix")))
            .add(text("displayName"))
            .add(text("nickName"))
            .add(reference("profileUrl", "external"))
            .add(text("title"))
            .add(text("userType"))
            .add(text("preferredLanguage"))
            .add(text("locale"))
            .add(text("timezone"))
            .add(attribute("active", "boolean", false, false))
            .add(labelled("emails", "string", "work", "home", "other"))
            .add(
                labelled(
                    "phoneNumbers", "string", "work", "home", "mobile", "fax", "pager", "other"))
            .add(
                labelled(
                    "ims", "string", "aim", "gtalk", "icq", "xmpp", "msn", "skype", "qq", "yahoo"))
            .add(labelled("photos", "reference", "photo", "thumbnail"))
            .add(addresses())
            .add(userGroups())
            .add(labelled("entitlements", "string"))
            .add(labelled("roles", "string"))
            .add(labelled("x509Certificates", "binary"))
            .add(attribute("externalId", "string", false, true)));
  }

  private static JsonObject addresses() {
    return complex(
        "addresses",
        true,
        text("formatted"),
        text("streetAddress"),
        text("locality"),
        text("region"),
        text("postalCode"),
        text("country"),
        text("type").put("canonicalValues", new JsonArray().add("work").add("home").add("other")),
        attribute("primary", "boolean", false, false));
  }

  /** A user's groups: stint's to say (from the groups' members), direct memberships only. */
  private static JsonObject userGroups() {
    return readOnly(
        complex(
            "groups",
            true,
            readOnly(attribute("value", "string", false, true)),
            readOnly(reference("$ref", "Group")),
            readOnly(text("display")),
            readOnly(
                text("type")
                    .put("canonicalValues", new JsonArray().add("direct"))
                    .put("description", "Always 'direct': nested groups are not supported"))));
  }

  /**
   * The Group schema as RFC 7643 (section 8.7.1) has it, with stint's characteristics: a member is
   * a user of the directory, named by {@code value} (its id) or {@code $ref} (its URI), of {@code
   * type} User; nested groups are not supported, so neither names a Group. {@code display} is
   * stint's (the user's display name), whatever was sent.
   */
  private JsonObject groupSchema() {
    return schema(
        ScimResources.GROUP_SCHEMA,
        "Group",
        new JsonArray()
            .add(attribute("displayName", "string", true, false).put("uniqueness", "server"))
            .add(attribute("externalId", "string", false, true))
            .add(
                complex(
                    "members",
                    true,
                    immutable(attribute("value", "string", false, true))
                        .put("description", "The id of a user of this directory"),
                    immutable(reference("$ref", "User"))
                        .put("description", "The URI of a user of this directory"),
                    immutable(text("type"))
                        .put("canonicalValues", new JsonArray().add("User"))
                        .put(
                            "description",
                            "User: nested groups are not supported, and a member of type Group"
                                + " is refused (400 invalidValue)"),
                    readOnly(text("display")))));
  }

  private static JsonObject text(String name) {
    return attribute(name, "string", false, false);
  }

  private static JsonObject reference(String name, String... types) {
    JsonArray referenceTypes = new JsonArray();
    for (String t : types) {
      referenceTypes.add(t);
    }
    return attribute(name, "reference", false, true).put("referenceTypes", referenceTypes);
  }

  private static JsonObject complex(String name, boolean multiValued, JsonObject... subs) {
    JsonArray subAttributes = new JsonArray();
    for (JsonObject sub : subs) {
      subAttributes.add(sub);
    }
    return attribute(name, "complex", false, false)
        .put("multiValued", multiValued)
        .put("subAttributes", subAttributes);
  }

  /**
   * A multi-valued attribute of RFC 7643's usual shape: {@code value} of {@code valueType}, {@code
   * display}, {@code type} (with its canonical values, if any) and {@code primary}.
   */
  private static JsonObject labelled(String name, String valueType, String... types) {
    JsonObject type = text("type");
    if (types.length > 0) {
      JsonArray values = new JsonArray();
      for (String t : types) {
        values.add(t);
      }
      type.put("canonicalValues", values);
    }
    JsonObject value =
        valueType.equals("reference")
            ? reference("value", "external")
            : attribute("value", valueType, false, false);
    return complex(
        name, true, value, text("display"), type, attribute("primary", "boolean", false, false));
  }

  private static JsonObject readOnly(JsonObject attribute) {
    return attribute.put("mutability", "readOnly");
  }

  private static JsonObject immutable(JsonObject attribute) {
    return attribute.put("mutability", "immutable");
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
