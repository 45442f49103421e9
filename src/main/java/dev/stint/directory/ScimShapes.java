package dev.stint.directory;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a user or group must look like once written (by POST, PUT or after a PATCH), and the case
 * rules of SCIM's attribute names, which are case-insensitive: a provider's {@code USERNAME} is
 * {@code userName}. What stint sets itself ({@code id}, {@code meta}, {@code schemas}, a user's
 * {@code groups}) is dropped from what is stored, and a password is never kept.
 */
final class ScimShapes {
  static final int MAX_NAME = 256;
  static final int MAX_EMAIL = 320;

  /** Core attribute and sub-attribute names as RFC 7643 spells them. */
  private static final Map<String, String> CANONICAL =
      List.of(
              "userName",
              "name",
              "displayName",
              "nickName",
              "profileUrl",
              "title",
              "userType",
              "preferredLanguage",
              "locale",
              "timezone",
              "active",
              "emails",
              "phoneNumbers",
              "ims",
              "photos",
              "addresses",
              "entitlements",
              "roles",
              "x509Certificates",
              "externalId",
              "members",
              "givenName",
              "familyName",
              "formatted",
              "middleName",
              "honorificPrefix",
              "honorificSuffix",
              "value",
              "type",
              "primary",
              "display",
              "streetAddress",
              "locality",
              "region",
              "postalCode",
              "country")
          .stream()
          .collect(Collectors.toUnmodifiableMap(n -> n.toLowerCase(Locale.ROOT), n -> n));

  private static final Set<String> NOT_STORED =
      Set.of("id", "meta", "schemas", "groups", "password", "members");

  private ScimShapes() {}

  /** A user as stored: the columns it is found by and its whole document. */
  record User(
      String userName,
      Optional<String> externalId,
      Optional<String> displayName,
      boolean active,
      List<Email> emails,
      JsonObject attributes) {}

  /** One address, lowercased when it is stored. */
  record Email(String address, boolean primary) {}

  /** A group as stored, with its members' ids. */
  record Group(
      String displayName,
      Optional<String> externalId,
      JsonObject attributes,
      List<String> members) {}

  /** The value of {@code name} in {@code o}, whatever the case of the key. */
  static Object get(JsonObject o, String name) {
    return o.getValue(key(o, name));
  }

  /** The key {@code o} holds for {@code name} in any case, else the name as the RFC spells it. */
  static String key(JsonObject o, String name) {
    for (String k : o.fieldNames()) {
      if (k.equalsIgnoreCase(name)) {
        return k;
      }
    }
    return canonical(name);
  }

  static String canonical(String name) {
    return CANONICAL.getOrDefault(name.toLowerCase(Locale.ROOT), name);
  }

  /** A user's document as a provider sent it (POST, PUT) or as a PATCH left it. */
  static User user(JsonObject body) {
    JsonObject doc = stored(body);
    String userName =
        text(doc, "userName", MAX_NAME)
            .orElseThrow(() -> ScimException.invalidValue("'userName' is required"));
    boolean active = bool(doc, "active").orElse(true);
    doc.put("active", active);
    List<Email> emails = new ArrayList<>();
    if (doc.getValue("emails") instanceof JsonArray list) {
      for (Object e : list) {
        if (!(e instanceof JsonObject o) || !(get(o, "value") instanceof String v) || v.isBlank()) {
          throw ScimException.invalidValue("each of 'emails' is an object with a string 'value'");
        }
        if (v.length() > MAX_EMAIL) {
          throw ScimException.invalidValue("an email is longer than " + MAX_EMAIL + " characters");
        }
        Optional<Boolean> primary = bool(o, "primary");
        primary.ifPresent(p -> o.put(key(o, "primary"), p));
        emails.add(new Email(v.strip(), primary.orElse(false)));
      }
    } else if (doc.containsKey("emails")) {
      throw ScimException.invalidValue("'emails' is a list");
    }
    return new User(
        userName,
        text(doc, "externalId", MAX_NAME),
        text(doc, "displayName", MAX_NAME),
        active,
        emails,
        doc);
  }

  /**
   * A resource's {@code schemas} as a POST or PUT sends it: when present, a list of URIs that names
   * {@code core}, the resource type's own schema, and no schema of another resource type or of a
   * message (RFC 7643, section 3: it "MUST only contain values defined as 'schema' and
   * 'schemaExtensions' for the resource's defined 'resourceType'"); extensions' URNs are taken, as
   * their attributes are kept. Refused as {@code invalidSyntax}: the body does not conform to the
   * request's schema. An absent {@code schemas} is read as {@code core}: providers' bodies always
   * carry it, and nothing is lost by reading its absence as the only schema the endpoint takes.
   */
  static void schemas(JsonObject body, String core) {
    Object schemas = get(body, "schemas");
    if (schemas == null) {
      return;
    }
    if (!(schemas instanceof JsonArray list)) {
      throw ScimException.invalidSyntax("'schemas' is a list of schema URIs");
    }
    boolean own = false;
    for (Object s : list) {
      if (!(s instanceof String urn)) {
        throw ScimException.invalidSyntax("'schemas' is a list of schema URIs");
      }
      if (urn.equalsIgnoreCase(core)) {
        own = true;
      } else if (urn.regionMatches(true, 0, CORE_SCHEMAS, 0, CORE_SCHEMAS.length())
          || urn.regionMatches(true, 0, MESSAGES, 0, MESSAGES.length())) {
        throw ScimException.invalidSyntax(
            "'" + urn + "' is not a schema of this resource type, whose schema is " + core);
      }
    }
    if (!own) {
      throw ScimException.invalidSyntax("'schemas' must list " + core);
    }
  }

  private static final String CORE_SCHEMAS = "urn:ietf:params:scim:schemas:core:";
  private static final String MESSAGES = "urn:ietf:params:scim:api:messages:";

  /**
   * The user id a member names (RFC 7643, section 4.2): its {@code value}, or the id its {@code
   * $ref} ends with ({@code .../Users/ID}, absolute or relative), both when both are sent, and they
   * must agree. {@code type}, when sent, is {@code User}: nested groups are not taken, so a member
   * whose type is {@code Group}, or whose {@code $ref} names a group, is refused, as is any other
   * type. Refusals are {@code invalidValue}; whether the user exists is the caller's to check.
   */
  static String memberId(Object member) {
    if (!(member instanceof JsonObject o)) {
      throw ScimException.invalidValue("each member is an object with a 'value' or a '$ref'");
    }
    Object value = get(o, "value");
    Object ref = get(o, "$ref");
    Object type = get(o, "type");
    if (value != null && !(value instanceof String)) {
      throw ScimException.invalidValue("a member's 'value' is a string, a user's id");
    }
    if (type != null && !(type instanceof String)) {
      throw ScimException.invalidValue("a member's 'type' is a string");
    }
    if (type instanceof String t && t.equalsIgnoreCase("Group")) {
      throw nested();
    }
    if (type instanceof String t && !t.equalsIgnoreCase("User")) {
      throw ScimException.invalidValue("a member's 'type' is User, not '" + t + "'");
    }
    Optional<String> named = ref == null ? Optional.empty() : Optional.of(referenced(ref));
    if (value instanceof String v && named.isPresent() && !named.get().equals(v)) {
      throw ScimException.invalidValue(
          "a member's 'value' and '$ref' name different users: " + v + ", " + named.get());
    }
    if (value instanceof String v) {
      return v;
    }
    return named.orElseThrow(
        () -> ScimException.invalidValue("each member is an object with a 'value' or a '$ref'"));
  }

  /** The user id at the end of a member's {@code $ref}. */
  private static String referenced(Object ref) {
    String[] segments = new String[0];
    if (ref instanceof String r) {
      try {
        String path = URI.create(r.strip()).getPath();
        segments = path == null ? segments : path.replaceAll("/+$", "").split("/");
      } catch (IllegalArgumentException e) {
        // not a URI: refused below
      }
    }
    int n = segments.length;
    if (n >= 2 && segments[n - 2].equals("Groups")) {
      throw nested();
    }
    if (n < 2 || !segments[n - 2].equals("Users") || segments[n - 1].isEmpty()) {
      throw ScimException.invalidValue(
          "a member's '$ref' is the URI of a user of this directory, .../Users/ID");
    }
    return segments[n - 1];
  }

  private static ScimException nested() {
    return ScimException.invalidValue(
        "nested groups are not supported: each member is a User (see /Schemas)");
  }

  /**
   * A group's document; its members come in {@code members}, each named as {@link #memberId} reads
   * it.
   */
  static Group group(JsonObject body) {
    List<String> members = new ArrayList<>();
    Object listed = get(body, "members");
    if (listed instanceof JsonArray list) {
      for (Object m : list) {
        members.add(memberId(m));
      }
    } else if (listed != null) {
      throw ScimException.invalidValue("'members' is a list");
    }
    JsonObject doc = stored(body);
    String name =
        text(doc, "displayName", MAX_NAME)
            .orElseThrow(() -> ScimException.invalidValue("'displayName' is required"));
    return new Group(name, text(doc, "externalId", MAX_NAME), doc, List.copyOf(members));
  }

  /** The attributes kept: canonical names, no nulls, nothing stint sets itself. */
  private static JsonObject stored(JsonObject body) {
    JsonObject doc = new JsonObject();
    for (Map.Entry<String, Object> e : body) {
      String name = canonical(e.getKey());
      if (e.getValue() != null && !NOT_STORED.contains(name.toLowerCase(Locale.ROOT))) {
        doc.put(name, copy(e.getValue()));
      }
    }
    return doc;
  }

  private static Object copy(Object v) {
    return v instanceof JsonObject o ? o.copy() : v instanceof JsonArray a ? a.copy() : v;
  }

  private static Optional<String> text(JsonObject doc, String name, int max) {
    Object v = doc.getValue(name);
    if (v == null) {
      return Optional.empty();
    }
    if (!(v instanceof String s) || s.isBlank()) {
      throw ScimException.invalidValue("'" + name + "' is a non-empty string");
    }
    if (s.length() > max) {
      throw ScimException.invalidValue("'" + name + "' is longer than " + max + " characters");
    }
    return Optional.of(s);
  }

  /** A boolean, or the strings Entra ID sends for one ({@code "True"}, {@code "False"}). */
  private static Optional<Boolean> bool(JsonObject o, String name) {
    Object v = get(o, name);
    if (v == null) {
      return Optional.empty();
    }
    if (v instanceof Boolean b) {
      return Optional.of(b);
    }
    if (v instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
      return Optional.of(Boolean.parseBoolean(s));
    }
    throw ScimException.invalidValue("'" + name + "' is true or false");
  }
}
