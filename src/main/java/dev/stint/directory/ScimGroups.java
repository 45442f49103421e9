package dev.stint.directory;

import dev.stint.directory.DirectoryStore.Member;
import dev.stint.directory.DirectoryStore.Stored;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * {@code /Groups}, as {@link ScimUsers} does users, with members: each member is a user of the
 * directory, named by its {@code value} or its {@code $ref} (one that is not a user, a nested group
 * included, is refused as {@code invalidValue}), and a write records how many members it added and
 * removed. A PATCH applies its operations in order to the group's current members, then writes only
 * the difference.
 */
public final class ScimGroups {
  private final Pool pool;
  private final ScimResources resources;
  private final DirectoryAudit audit;
  private final Clock clock;

  ScimGroups(Pool pool, ScimResources resources, DirectoryAudit audit, Clock clock) {
    this.pool = pool;
    this.resources = resources;
    this.audit = audit;
    this.clock = clock;
  }

  /** A group as written: its shape and its members' ids in order. */
  private record Next(ScimShapes.Group group, Set<String> members) {}

  public Future<ScimAnswer> list(ListQuery query) {
    return ScimException.attempt(
        () -> {
          Optional<FilterSql.Where> where =
              query
                  .filter()
                  .filter(f -> !f.isBlank())
                  .map(f -> FilterSql.groups(ScimFilter.parse(f, FilterSql.GROUP_ATTRIBUTES), 1));
          long start = query.start();
          return DirectoryStore.list(
                  pool, DirectoryStore.Listing.GROUPS, where, start - 1, query.pageSize())
              .compose(
                  page ->
                      rendered(pool, page.rows(), query.attributes().wants("members"))
                          .map(
                              list ->
                                  ScimAnswer.ok(ScimResources.list(page.total(), start, list))));
        });
  }

  /** One group; its members are read only when {@code attributes} asks for them. */
  public Future<ScimAnswer> get(String id, ScimAttributes attributes) {
    return DirectoryStore.group(pool, id, false)
        .compose(
            found ->
                rendered(
                    pool,
                    List.of(found.orElseThrow(() -> missing(id))),
                    attributes.wants("members")))
        .map(list -> ScimAnswer.ok(list.get(0)));
  }

  public Future<ScimAnswer> create(JsonObject body, ScimCaller caller) {
    return ScimException.attempt(
        () -> {
          ScimShapes.schemas(body, ScimResources.GROUP_SCHEMA);
          ScimShapes.Group group = ScimShapes.group(body);
          Set<String> members = new LinkedHashSet<>(group.members());
          String id = UUID.randomUUID().toString();
          Instant now = now();
          Stored stored = new Stored(id, group.attributes(), now, now, 1);
          return pool.withTransaction(
              db ->
                  known(db, members)
                      .compose(x -> DirectoryStore.writeGroup(db, id, group, now, now, 1))
                      .compose(x -> DirectoryStore.changeMembers(db, id, members, Set.of()))
                      .compose(
                          x ->
                              audit.group(
                                  "directory.group.created", id, group, members, Set.of(), caller))
                      .compose(x -> rendered(db, List.of(stored), true))
                      .map(list -> ScimAnswer.created(list.get(0))));
        });
  }

  public Future<ScimAnswer> replace(
      String id, JsonObject body, Optional<String> ifMatch, ScimCaller caller) {
    return ScimException.attempt(
        () -> {
          ScimShapes.schemas(body, ScimResources.GROUP_SCHEMA);
          ScimShapes.Group group = ScimShapes.group(body);
          return change(
              id,
              ifMatch,
              caller,
              (current, members) -> new Next(group, new LinkedHashSet<>(group.members())));
        });
  }

  public Future<ScimAnswer> patch(
      String id, JsonObject body, Optional<String> ifMatch, ScimCaller caller) {
    return ScimException.attempt(
        () -> {
          List<ScimPatch.Operation> ops = ScimPatch.read(body, ScimResources.GROUP_SCHEMA);
          return change(
              id,
              ifMatch,
              caller,
              (current, members) -> {
                JsonObject doc = current.attributes().copy();
                Set<String> next = new LinkedHashSet<>(members);
                ScimPatch.apply(ops, doc, next, id, ScimResources.GROUP_SCHEMA);
                return new Next(ScimShapes.group(doc), next);
              });
        });
  }

  public Future<ScimAnswer> delete(String id, Optional<String> ifMatch, ScimCaller caller) {
    return pool.withTransaction(
        db ->
            locked(db, id, ifMatch)
                .compose(
                    current ->
                        DirectoryStore.delete(db, "directory_groups", id)
                            .compose(
                                x ->
                                    audit.groupDeleted(
                                        id,
                                        current.attributes().getString("displayName", ""),
                                        caller)))
                .map(x -> ScimAnswer.noContent()));
  }

  /** How replace and patch make the next group from the locked row and its members. */
  private interface Change {
    Next apply(Stored current, Set<String> members);
  }

  private Future<ScimAnswer> change(
      String id, Optional<String> ifMatch, ScimCaller caller, Change change) {
    Instant now = now();
    return pool.withTransaction(
        db ->
            locked(db, id, ifMatch)
                .compose(
                    current ->
                        memberIds(db, id)
                            .compose(members -> write(db, current, members, change, now, caller))));
  }

  private Future<ScimAnswer> write(
      SqlConnection db,
      Stored current,
      Set<String> members,
      Change change,
      Instant now,
      ScimCaller caller) {
    Next next = change.apply(current, members);
    Set<String> added = new LinkedHashSet<>(next.members());
    added.removeAll(members);
    Set<String> removed = new LinkedHashSet<>(members);
    removed.removeAll(next.members());
    long version = current.version() + 1;
    String id = current.id();
    Stored stored = new Stored(id, next.group().attributes(), current.created(), now, version);
    return known(db, added)
        .compose(
            x -> DirectoryStore.writeGroup(db, id, next.group(), current.created(), now, version))
        .compose(x -> DirectoryStore.changeMembers(db, id, added, removed))
        .compose(
            x -> audit.group("directory.group.updated", id, next.group(), added, removed, caller))
        .compose(x -> rendered(db, List.of(stored), true))
        .map(list -> ScimAnswer.ok(list.get(0)));
  }

  private static Future<Void> known(SqlClient db, Set<String> members) {
    return DirectoryStore.unknownUsers(db, members)
        .map(
            unknown -> {
              if (!unknown.isEmpty()) {
                throw ScimException.invalidValue(
                    "no user " + unknown.stream().sorted().findFirst().orElseThrow());
              }
              return null;
            });
  }

  private static Future<Set<String>> memberIds(SqlClient db, String id) {
    return DirectoryStore.members(db, List.of(id))
        .map(
            rows -> {
              Set<String> out = new LinkedHashSet<>();
              rows.forEach(r -> out.add(r.getString(1)));
              return out;
            });
  }

  /** Groups as the wire shows them, with their members when {@code withMembers}. */
  private Future<List<JsonObject>> rendered(
      SqlClient db, List<Stored> groups, boolean withMembers) {
    if (!withMembers || groups.isEmpty()) {
      return Future.succeededFuture(
          groups.stream().map(g -> resources.group(g, Optional.empty())).toList());
    }
    return DirectoryStore.members(db, groups.stream().map(Stored::id).toList())
        .map(
            rows -> {
              Map<String, List<Member>> byGroup = new HashMap<>();
              for (Row r : rows) {
                byGroup
                    .computeIfAbsent(r.getString(0), g -> new ArrayList<>())
                    .add(new Member(r.getString(1), r.getString(2)));
              }
              return groups.stream()
                  .map(
                      g -> resources.group(g, Optional.of(byGroup.getOrDefault(g.id(), List.of()))))
                  .toList();
            });
  }

  private Future<Stored> locked(SqlConnection db, String id, Optional<String> ifMatch) {
    return DirectoryStore.locked(DirectoryStore.group(db, id, true), ifMatch, () -> missing(id));
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }

  private static ScimException missing(String id) {
    return ScimException.notFound("no group " + id);
  }
}
