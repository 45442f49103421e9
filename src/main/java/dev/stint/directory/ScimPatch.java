package dev.stint.directory;

import dev.stint.directory.ScimPaths.Match;
import dev.stint.directory.ScimPaths.Path;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A PATCH (RFC 7644, section 3.5.2) applied to a copy of a resource, in order, all or nothing: a
 * refused operation throws and the caller writes nothing. Besides the RFC's own shapes it takes the
 * ones Okta and Entra ID really send: operation names in any case ({@code Replace}), an operation
 * without {@code path} whose value is an object of attributes (whose names may themselves be paths,
 * {@code name.givenName}), a filter in the path that names an element not there yet ({@code
 * emails[type eq "work"].value}: the element is made), and members removed by a filter ({@code
 * members[value eq "ID"]}) or by a value listing them. Values are checked afterwards by the
 * resource's own shape, where {@code "False"} becomes false.
 */
final class ScimPatch {
  static final String SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

  /** One operation: {@code add}, {@code replace} or {@code remove}, its path, its value. */
  record Operation(String op, Optional<Path> path, Object value) {}

  /** What stint sets itself: a PATCH may not touch it. */
  private static final Set<String> READ_ONLY = Set.of("id", "meta", "schemas", "groups");

  private final JsonObject doc;
  private final Set<String> members;
  private final String id;

  private ScimPatch(JsonObject doc, Set<String> members, String id) {
    this.doc = doc;
    this.members = members;
    this.id = id;
  }

  /** The operations of a PatchOp body; {@code coreSchema} is the resource type's own URN. */
  static List<Operation> read(JsonObject body, String coreSchema) {
    JsonArray schemas = body.getValue("schemas") instanceof JsonArray a ? a : new JsonArray();
    if (!schemas.contains(SCHEMA)) {
      throw ScimException.invalidSyntax("a PATCH body's schemas must list " + SCHEMA);
    }
    Object ops = ScimShapes.get(body, "Operations");
    if (!(ops instanceof JsonArray list) || list.isEmpty()) {
      throw ScimException.invalidSyntax("a PATCH body needs a non-empty 'Operations' list");
    }
    List<Operation> out = new ArrayList<>();
    for (Object item : list) {
      if (!(item instanceof JsonObject o) || !(ScimShapes.get(o, "op") instanceof String op)) {
        throw ScimException.invalidSyntax("each operation is an object with an 'op'");
      }
      String name = op.toLowerCase(Locale.ROOT);
      if (!Set.of("add", "replace", "remove").contains(name)) {
        throw ScimException.invalidSyntax("'" + op + "' is not add, replace or remove");
      }
      Object path = ScimShapes.get(o, "path");
      if (path != null && !(path instanceof String)) {
        throw ScimException.invalidPath("'path' must be a string");
      }
      Optional<Path> parsed =
          Optional.ofNullable((String) path)
              .filter(p -> !p.isBlank())
              .map(p -> ScimPaths.parse(p, coreSchema));
      Object value = ScimShapes.get(o, "value");
      if (parsed.isEmpty() && !name.equals("remove") && !(value instanceof JsonObject)) {
        throw ScimException.invalidSyntax("an '" + op + "' without a path needs an object value");
      }
      if (parsed.isEmpty() && name.equals("remove")) {
        throw ScimException.noTarget("a 'remove' needs a path");
      }
      if (value == null && !name.equals("remove")) {
        throw ScimException.invalidValue("'" + op + "' needs a value");
      }
      out.add(new Operation(name, parsed, value));
    }
    return out;
  }

  /**
   * Applies {@code ops} to {@code doc} (the resource's attributes, changed in place) and to {@code
   * members} (a group's member ids, changed in place; {@code null} for a user).
   */
  static void apply(
      List<Operation> ops, JsonObject doc, Set<String> members, String id, String coreSchema) {
    ScimPatch patch = new ScimPatch(doc, members, id);
    for (Operation op : ops) {
      if (op.path().isPresent()) {
        patch.at(op.op(), op.path().get(), op.value());
      } else {
        for (Map.Entry<String, Object> e : ((JsonObject) op.value())) {
          if (e.getKey().equalsIgnoreCase("schemas")
              || (e.getKey().equalsIgnoreCase("id") && id.equals(e.getValue()))) {
            continue; // Okta repeats the id (and some send schemas) in a group's replace
          }
          patch.at(op.op(), ScimPaths.parse(e.getKey(), coreSchema), e.getValue());
        }
      }
    }
  }

  private void at(String op, Path path, Object value) {
    if (path.schema().isEmpty() && READ_ONLY.contains(path.attribute().toLowerCase(Locale.ROOT))) {
      throw ScimException.mutability("'" + path.attribute() + "' cannot be changed");
    }
    if (members != null && path.is("members")) {
      members(op, path, value);
      return;
    }
    JsonObject container = container(path, !op.equals("remove"));
    if (container == null) {
      return;
    }
    String key = ScimShapes.key(container, path.attribute());
    if (!path.filter().isEmpty()) {
      elements(op, container, key, path, value);
    } else if (path.sub().isPresent()) {
      sub(op, container, key, path.sub().get(), value);
    } else {
      whole(op, container, key, value);
    }
  }

  /** The object the attribute lives in: the resource, or an extension's object in it. */
  private JsonObject container(Path path, boolean create) {
    if (path.schema().isEmpty()) {
      return doc;
    }
    String key = ScimShapes.key(doc, path.schema().get());
    if (doc.getValue(key) instanceof JsonObject o) {
      return o;
    }
    if (!create) {
      return null;
    }
    JsonObject made = new JsonObject();
    doc.put(key, made);
    return made;
  }

  private static void whole(String op, JsonObject container, String key, Object value) {
    Object existing = container.getValue(key);
    switch (op) {
      case "remove" -> {
        if (existing instanceof JsonArray list && value instanceof JsonArray gone) {
          container.put(key, kept(list, e -> contains(gone, e)));
        } else {
          container.remove(key);
        }
      }
      case "add" -> {
        if (existing instanceof JsonArray list) {
          for (Object v : value instanceof JsonArray a ? a : new JsonArray().add(value)) {
            if (!contains(list, v)) {
              list.add(v);
            }
          }
        } else if (existing instanceof JsonObject o && value instanceof JsonObject v) {
          o.mergeIn(v);
        } else {
          container.put(key, value);
        }
      }
      default -> {
        if (existing instanceof JsonObject o && value instanceof JsonObject v) {
          o.mergeIn(v);
        } else {
          container.put(key, value);
        }
      }
    }
  }

  /**
   * The elements of {@code list} that {@code gone} does not take, as a new array. Read through the
   * array's own iterator, which gives objects as {@link JsonObject}s: its backing list holds maps.
   */
  private static JsonArray kept(JsonArray list, Predicate<Object> gone) {
    JsonArray out = new JsonArray();
    for (Object e : list) {
      if (!gone.test(e)) {
        out.add(e);
      }
    }
    return out;
  }

  /** Whether {@code gone} holds {@code element}, or an object with the same {@code value}. */
  private static boolean contains(JsonArray gone, Object element) {
    for (Object g : gone) {
      if (g.equals(element)
          || (g instanceof JsonObject go
              && element instanceof JsonObject eo
              && go.getValue("value") != null
              && go.getValue("value").equals(eo.getValue("value")))) {
        return true;
      }
    }
    return false;
  }

  private static void sub(String op, JsonObject container, String key, String sub, Object value) {
    Object existing = container.getValue(key);
    List<JsonObject> targets = new ArrayList<>();
    if (existing instanceof JsonObject o) {
      targets.add(o);
    } else if (existing instanceof JsonArray list) {
      list.forEach(e -> targets.add(e instanceof JsonObject o ? o : new JsonObject()));
    } else if (!op.equals("remove")) {
      JsonObject made = new JsonObject();
      container.put(key, made);
      targets.add(made);
    }
    for (JsonObject t : targets) {
      String subKey = ScimShapes.key(t, sub);
      if (op.equals("remove")) {
        t.remove(subKey);
      } else {
        t.put(subKey, value);
      }
    }
  }

  /** {@code attr[filter]} and {@code attr[filter].sub}: the elements the filter matches. */
  private static void elements(
      String op, JsonObject container, String key, Path path, Object value) {
    Object existing = container.getValue(key);
    if (existing != null && !(existing instanceof JsonArray)) {
      throw ScimException.invalidPath("'" + path.attribute() + "' is not multi-valued");
    }
    JsonArray list = existing == null ? new JsonArray() : (JsonArray) existing;
    List<JsonObject> matched = new ArrayList<>();
    for (Object e : list) {
      if (e instanceof JsonObject o && matches(o, path.filter())) {
        matched.add(o);
      }
    }
    if (op.equals("remove")) {
      if (path.sub().isEmpty()) {
        container.put(key, kept(list, e -> e instanceof JsonObject o && matches(o, path.filter())));
      } else {
        matched.forEach(m -> m.remove(ScimShapes.key(m, path.sub().get())));
      }
      return;
    }
    if (matched.isEmpty()) {
      JsonObject made = new JsonObject();
      path.filter().forEach(m -> made.put(ScimShapes.canonical(m.attribute()), m.value()));
      list.add(made);
      matched.add(made);
      container.put(key, list);
    }
    for (JsonObject m : matched) {
      if (path.sub().isPresent()) {
        m.put(ScimShapes.key(m, path.sub().get()), value);
      } else if (value instanceof JsonObject v) {
        m.mergeIn(v);
      } else {
        throw ScimException.invalidValue("'" + path.attribute() + "[...]' takes an object value");
      }
    }
  }

  private static boolean matches(JsonObject element, List<Match> filter) {
    for (Match m : filter) {
      Object v = element.getValue(ScimShapes.key(element, m.attribute()));
      boolean same =
          v instanceof String s && m.value() instanceof String w
              ? s.equalsIgnoreCase(w)
              : m.value().equals(v);
      if (!same) {
        return false;
      }
    }
    return true;
  }

  private void members(String op, Path path, Object value) {
    if (path.sub().isPresent()) {
      throw ScimException.invalidPath("members are changed whole, not by sub-attribute");
    }
    if (!path.filter().isEmpty()) {
      if (!op.equals("remove")
          || path.filter().size() != 1
          || !path.filter().get(0).attribute().equalsIgnoreCase("value")
          || !(path.filter().get(0).value() instanceof String member)) {
        throw ScimException.invalidPath("members[...] is only for remove, by value eq \"ID\"");
      }
      members.remove(member);
      return;
    }
    List<String> ids = memberIds(value);
    switch (op) {
      case "add" -> members.addAll(ids);
      case "replace" -> {
        members.clear();
        members.addAll(ids);
      }
      default -> {
        if (value == null) {
          members.clear();
        } else {
          ids.forEach(members::remove);
        }
      }
    }
  }

  private static List<String> memberIds(Object value) {
    List<String> ids = new ArrayList<>();
    if (value == null) {
      return ids;
    }
    for (Object item : value instanceof JsonArray a ? a : new JsonArray().add(value)) {
      ids.add(ScimShapes.memberId(item));
    }
    return ids;
  }
}
