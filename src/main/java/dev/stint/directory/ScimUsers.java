package dev.stint.directory;

import dev.stint.directory.DirectoryStore.Stored;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * {@code /Users}: list with a filter, read, create, replace, patch and delete. Each write runs in
 * one transaction holding the user's row lock: read, check the {@code If-Match} version, apply,
 * check the result's shape, write, record the audit event; any refusal on the way rolls it all
 * back, so a refused call changes nothing.
 */
public final class ScimUsers {
  private final Pool pool;
  private final ScimResources resources;
  private final DirectoryAudit audit;
  private final DirectoryPeople people;
  private final Clock clock;

  ScimUsers(
      Pool pool,
      ScimResources resources,
      DirectoryAudit audit,
      DirectoryPeople people,
      Clock clock) {
    this.pool = pool;
    this.resources = resources;
    this.audit = audit;
    this.people = people;
    this.clock = clock;
  }

  public Future<ScimAnswer> list(ListQuery query) {
    return Scim.attempt(
        () -> {
          Optional<FilterSql.Where> where =
              query
                  .filter()
                  .filter(f -> !f.isBlank())
                  .map(f -> FilterSql.users(ScimFilter.parse(f, FilterSql.USER_ATTRIBUTES), 1));
          long start = query.start();
          return DirectoryStore.list(
                  pool, DirectoryStore.Listing.USERS, where, start - 1, query.pageSize())
              .map(
                  page ->
                      ScimAnswer.ok(
                          ScimResources.list(
                              page.total(),
                              start,
                              page.rows().stream().map(resources::user).toList())));
        });
  }

  public Future<ScimAnswer> get(String id) {
    return DirectoryStore.user(pool, id, false)
        .map(found -> ScimAnswer.ok(resources.user(found.orElseThrow(() -> missing(id)))));
  }

  public Future<ScimAnswer> create(JsonObject body, ScimCaller caller) {
    return Scim.attempt(
        () -> {
          ScimShapes.User user = ScimShapes.user(body);
          String id = UUID.randomUUID().toString();
          Instant now = now();
          return pool.withTransaction(
              db ->
                  DirectoryStore.writeUser(db, id, user, now, now, 1)
                      .compose(x -> people.match(db, id, user))
                      .compose(by -> audit.user("directory.user.created", id, user, by, caller))
                      .map(
                          x ->
                              ScimAnswer.created(
                                  resources.user(new Stored(id, user.attributes(), now, now, 1)))));
        });
  }

  public Future<ScimAnswer> replace(
      String id, JsonObject body, Optional<String> ifMatch, ScimCaller caller) {
    return Scim.attempt(
        () -> {
          ScimShapes.User user = ScimShapes.user(body);
          return change(id, ifMatch, caller, current -> user);
        });
  }

  public Future<ScimAnswer> patch(
      String id, JsonObject body, Optional<String> ifMatch, ScimCaller caller) {
    return Scim.attempt(
        () -> {
          List<ScimPatch.Operation> ops = ScimPatch.read(body, ScimResources.USER_SCHEMA);
          return change(
              id,
              ifMatch,
              caller,
              current -> {
                JsonObject doc = current.attributes().copy();
                ScimPatch.apply(ops, doc, null, id, ScimResources.USER_SCHEMA);
                return ScimShapes.user(doc);
              });
        });
  }

  public Future<ScimAnswer> delete(String id, Optional<String> ifMatch, ScimCaller caller) {
    return pool.withTransaction(
        db ->
            locked(db, id, ifMatch)
                .compose(
                    current ->
                        DirectoryStore.delete(db, "directory_users", id)
                            .compose(
                                x ->
                                    audit.userDeleted(
                                        id,
                                        current.attributes().getString("userName", ""),
                                        caller)))
                .map(x -> ScimAnswer.noContent()));
  }

  /** Replace and patch: the new shape is made from the locked current row. */
  private Future<ScimAnswer> change(
      String id,
      Optional<String> ifMatch,
      ScimCaller caller,
      Function<Stored, ScimShapes.User> next) {
    Instant now = now();
    return pool.withTransaction(
        db ->
            locked(db, id, ifMatch)
                .compose(
                    current -> {
                      ScimShapes.User user = next.apply(current);
                      long version = current.version() + 1;
                      return DirectoryStore.writeUser(db, id, user, current.created(), now, version)
                          .compose(x -> people.match(db, id, user))
                          .compose(by -> audit.user("directory.user.updated", id, user, by, caller))
                          .map(
                              x ->
                                  ScimAnswer.ok(
                                      resources.user(
                                          new Stored(
                                              id,
                                              user.attributes(),
                                              current.created(),
                                              now,
                                              version))));
                    }));
  }

  private Future<Stored> locked(SqlConnection db, String id, Optional<String> ifMatch) {
    return DirectoryStore.user(db, id, true)
        .map(
            found -> {
              Stored s = found.orElseThrow(() -> missing(id));
              Scim.checkVersion(ifMatch, s.version());
              return s;
            });
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }

  private static ScimException missing(String id) {
    return ScimException.notFound("no user " + id);
  }
}
