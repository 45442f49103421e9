package dev.stint.directory;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
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

  /** A group's document; its members come in {@code members}, each by its {@code value}. */
  static Group group(JsonObject body) {
    List<String> members = new ArrayList<>();
    Object listed = get(body, "members");
    if (listed instanceof JsonArray list) {
      for (Object m : list) {
        if (!(m instanceof JsonObject o) || !(get(o, "value") instanceof String id)) {
          throw ScimException.invalidValue("each member is an object with a string 'value'");
        }
        members.add(id);
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
