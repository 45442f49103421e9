package dev.stint.directory;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@code attributes} and {@code excludedAttributes} query parameters (RFC 7644, sections
 * 3.4.2.5 and 3.9), which narrow every answer that holds a resource: a read, a list, and the answer
 * of a POST, PUT or PATCH. {@code attributes} returns only the attributes named, {@code
 * excludedAttributes} all but those named; the two are mutually exclusive. Names are in the RFC's
 * attribute notation ({@code userName}, {@code name.givenName}, {@code emails.value}, optionally
 * after a schema's URN, or an extension's URN alone), in any case. {@code id} (returned {@code
 * always}), {@code schemas} and {@code meta} (which carries the version the {@code ETag} repeats)
 * are in every answer whatever is asked; an attribute named that the resource lacks is not an
 * error.
 */
public final class ScimAttributes {
  /** Every attribute: no parameter given. */
  public static final ScimAttributes ALL = new ScimAttributes(false, List.of());

  private static final Set<String> ALWAYS = Set.of("id", "schemas", "meta");
  private static final Pattern PATH =
      Pattern.compile("[A-Za-z$][A-Za-z0-9_$-]*(\\.[A-Za-z$][A-Za-z0-9_$-]*)?");

  /** Whether {@link #names} are excluded (else only they are returned). */
  private final boolean excluded;

  private final List<String> names;

  private ScimAttributes(boolean excluded, List<String> names) {
    this.excluded = excluded;
    this.names = List.copyOf(names);
  }

  /**
   * The parameters as sent (each a comma-separated list); blank reads as absent. Both at once, or a
   * name not in attribute notation, is refused as {@code invalidValue}.
   */
  public static ScimAttributes of(Optional<String> attributes, Optional<String> excluded) {
    List<String> wanted = names(attributes);
    List<String> left = names(excluded);
    if (!wanted.isEmpty() && !left.isEmpty()) {
      throw ScimException.invalidValue(
          "'attributes' and 'excludedAttributes' are mutually exclusive; send one of them");
    }
    if (!wanted.isEmpty()) {
      return new ScimAttributes(false, wanted);
    }
    return left.isEmpty() ? ALL : new ScimAttributes(true, left);
  }

  private static List<String> names(Optional<String> parameter) {
    List<String> out = new ArrayList<>();
    parameter.stream()
        .flatMap(p -> Arrays.stream(p.split(",")))
        .map(String::strip)
        .filter(n -> !n.isEmpty())
        .forEach(
            n -> {
              String path =
                  n.regionMatches(true, 0, "urn:", 0, 4) ? n.substring(n.lastIndexOf(':') + 1) : n;
              if (n.chars().anyMatch(Character::isWhitespace) || !PATH.matcher(path).matches()) {
                throw ScimException.invalidValue(
                    "'" + n + "' is not an attribute name (attr, attr.sub, or after a schema URN)");
              }
              out.add(n);
            });
    return out;
  }

  /**
   * Whether the answer needs the top-level attribute {@code name} of the resource's core schema
   * ({@code members}, a user's {@code groups}): when it does not, it need not be read.
   */
  boolean wants(String name) {
    if (names.isEmpty()) {
      return true;
    }
    boolean named =
        names.stream()
            .map(ScimPaths::withoutSchema)
            .anyMatch(
                n ->
                    excluded
                        ? n.equalsIgnoreCase(name)
                        : n.equalsIgnoreCase(name)
                            || n.regionMatches(true, 0, name + ".", 0, name.length() + 1));
    return excluded != named;
  }

  /** {@code resource} (not changed) as these parameters narrow it. */
  public JsonObject apply(JsonObject resource) {
    if (names.isEmpty()) {
      return resource;
    }
    JsonArray schemas = resource.getValue("schemas") instanceof JsonArray a ? a : new JsonArray();
    String core = schemas.isEmpty() ? "" : String.valueOf(schemas.getValue(0));
    // What is named, by where it lives (null: the resource itself, else an extension's key) and
    // attribute (null: the whole extension), each with the sub-attributes named, or none for all.
    Map<String, Map<String, Set<String>>> named = new LinkedHashMap<>();
    for (String n : names) {
      resolve(resource, core, n)
          .ifPresent(
              r -> {
                Map<String, Set<String>> in =
                    named.computeIfAbsent(r.container(), k -> new LinkedHashMap<>());
                Set<String> subs = in.get(r.attribute());
                if (r.sub() == null) {
                  in.put(r.attribute(), Set.of());
                } else if (subs == null) {
                  in.put(r.attribute(), new LinkedHashSet<>(Set.of(r.sub())));
                } else if (!subs.isEmpty()) {
                  subs.add(r.sub());
                }
              });
    }
    JsonObject kept = excluded ? excluded(resource, named) : included(resource, named);
    JsonArray listed = new JsonArray();
    for (Object s : schemas) {
      if (String.valueOf(s).equalsIgnoreCase(core) || kept.containsKey(String.valueOf(s))) {
        listed.add(s);
      }
    }
    JsonObject out = new JsonObject().put("schemas", listed);
    if (resource.containsKey("id")) {
      out.put("id", resource.getValue("id"));
    }
    kept.forEach(
        e -> {
          if (!ALWAYS.contains(e.getKey())) {
            out.put(e.getKey(), e.getValue());
          }
        });
    if (resource.containsKey("meta")) {
      out.put("meta", copy(resource.getValue("meta")));
    }
    return out;
  }

  /** Where one name points: its container's key (null for the resource), attribute and sub. */
  private record Resolved(String container, String attribute, String sub) {}

  private static final String WHOLE = "";

  private static Optional<Resolved> resolve(JsonObject resource, String core, String name) {
    String path = name;
    String container = null;
    if (name.regionMatches(true, 0, "urn:", 0, 4)) {
      Optional<String> extension = key(resource, name);
      if (extension.isPresent() && !ALWAYS.contains(extension.get())) {
        return Optional.of(new Resolved(extension.get(), WHOLE, null));
      }
      int colon = name.lastIndexOf(':');
      String urn = name.substring(0, colon);
      path = name.substring(colon + 1);
      if (!urn.equalsIgnoreCase(core)) {
        Optional<String> ext = key(resource, urn);
        if (ext.isEmpty() || !(resource.getValue(ext.get()) instanceof JsonObject)) {
          return Optional.empty();
        }
        container = ext.get();
      }
    }
    int dot = path.indexOf('.');
    String attribute = dot < 0 ? path : path.substring(0, dot);
    String sub = dot < 0 ? null : path.substring(dot + 1);
    JsonObject in = container == null ? resource : resource.getJsonObject(container);
    Optional<String> key = key(in, attribute);
    if (key.isEmpty() || (container == null && ALWAYS.contains(key.get()))) {
      return Optional.empty();
    }
    return Optional.of(new Resolved(container, key.get(), sub));
  }

  private static JsonObject included(
      JsonObject resource, Map<String, Map<String, Set<String>>> named) {
    JsonObject out = new JsonObject();
    for (Map.Entry<String, Map<String, Set<String>>> c : named.entrySet()) {
      if (c.getKey() == null) {
        picked(resource, c.getValue(), out);
      } else if (c.getValue().containsKey(WHOLE)) {
        out.put(c.getKey(), copy(resource.getValue(c.getKey())));
      } else {
        JsonObject ext = new JsonObject();
        picked(resource.getJsonObject(c.getKey()), c.getValue(), ext);
        if (!ext.isEmpty()) {
          out.put(c.getKey(), ext);
        }
      }
    }
    return out;
  }

  /** Into {@code out}, the attributes of {@code from} named, each with the subs named. */
  private static void picked(JsonObject from, Map<String, Set<String>> named, JsonObject out) {
    for (Map.Entry<String, Set<String>> a : named.entrySet()) {
      Object value = from.getValue(a.getKey());
      Object kept = a.getValue().isEmpty() ? copy(value) : only(value, a.getValue());
      if (kept != null) {
        out.put(a.getKey(), kept);
      }
    }
  }

  /** The sub-attributes {@code subs} of a complex value or of each element of a list of them. */
  private static Object only(Object value, Set<String> subs) {
    if (value instanceof JsonObject o) {
      JsonObject out = new JsonObject();
      for (String s : subs) {
        key(o, s).ifPresent(k -> out.put(k, copy(o.getValue(k))));
      }
      return out.isEmpty() ? null : out;
    }
    if (value instanceof JsonArray list) {
      JsonArray out = new JsonArray();
      for (Object e : list) {
        Object kept = only(e, subs);
        if (kept != null) {
          out.add(kept);
        }
      }
      return out.isEmpty() ? null : out;
    }
    return null;
  }

  private static JsonObject excluded(
      JsonObject resource, Map<String, Map<String, Set<String>>> named) {
    JsonObject out = resource.copy();
    for (Map.Entry<String, Map<String, Set<String>>> c : named.entrySet()) {
      if (c.getKey() == null) {
        dropped(out, c.getValue());
      } else if (c.getValue().containsKey(WHOLE)) {
        out.remove(c.getKey());
      } else if (out.getValue(c.getKey()) instanceof JsonObject ext) {
        dropped(ext, c.getValue());
        if (ext.isEmpty()) {
          out.remove(c.getKey());
        }
      }
    }
    return out;
  }

  /** From {@code in} (changed), the attributes named, or only their subs named. */
  private static void dropped(JsonObject in, Map<String, Set<String>> named) {
    for (Map.Entry<String, Set<String>> a : named.entrySet()) {
      if (a.getValue().isEmpty()) {
        in.remove(a.getKey());
        continue;
      }
      Object left = without(in.getValue(a.getKey()), a.getValue());
      if (left == null) {
        in.remove(a.getKey());
      } else {
        in.put(a.getKey(), left);
      }
    }
  }

  private static Object without(Object value, Set<String> subs) {
    if (value instanceof JsonObject o) {
      for (String s : subs) {
        key(o, s).ifPresent(o::remove);
      }
      return o.isEmpty() ? null : o;
    }
    if (value instanceof JsonArray list) {
      JsonArray out = new JsonArray();
      for (Object e : list) {
        Object left = without(e, subs);
        if (left != null) {
          out.add(left);
        }
      }
      return out.isEmpty() ? null : out;
    }
    return value;
  }

  /** The key {@code o} holds for {@code name} in any case. */
  private static Optional<String> key(JsonObject o, String name) {
    for (String k : o.fieldNames()) {
      if (k.equalsIgnoreCase(name)) {
        return Optional.of(k);
      }
    }
    return Optional.empty();
  }

  private static Object copy(Object v) {
    return v instanceof JsonObject o ? o.copy() : v instanceof JsonArray a ? a.copy() : v;
  }

  @Override
  public String toString() {
    return (excluded ? "all but " : "only ") + names;
  }
}
