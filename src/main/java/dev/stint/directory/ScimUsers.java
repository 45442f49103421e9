package dev.stint.directory;

import dev.stint.directory.DirectoryStore.Stored;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;

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
  private final Supplier<Future<?>> deprovisioned;

  /**
   * {@code deprovisioned}: the work a write that deprovisioned someone brings, done after its
   * commit and before its answer.
   */
  ScimUsers(
      Pool pool,
      ScimResources resources,
      DirectoryAudit audit,
      DirectoryPeople people,
      Clock clock,
      Supplier<Future<?>> deprovisioned) {
    this.pool = pool;
    this.resources = resources;
    this.audit = audit;
    this.people = people;
    this.clock = clock;
    this.deprovisioned = deprovisioned;
  }

  public Future<ScimAnswer> list(ListQuery query) {
    return ScimException.attempt(
        () -> {
          Optional<FilterSql.Where> where =
              query
                  .filter()
                  .filter(f -> !f.isBlank())
                  .map(f -> FilterSql.users(ScimFilter.parse(f, FilterSql.USER_ATTRIBUTES), 1));
          long start = query.start();
          return DirectoryStore.list(
                  pool, DirectoryStore.Listing.USERS, where, start - 1, query.pageSize())
              .compose(
                  page ->
                      rendered(pool, page.rows(), query.attributes().wants("groups"))
                          .map(
                              list ->
                                  ScimAnswer.ok(ScimResources.list(page.total(), start, list))));
        });
  }

  /** One user; its groups are read only when {@code attributes} asks for them. */
  public Future<ScimAnswer> get(String id, ScimAttributes attributes) {
    return DirectoryStore.user(pool, id, false)
        .compose(
            found ->
                rendered(
                    pool,
                    List.of(found.orElseThrow(() -> missing(id))),
                    attributes.wants("groups")))
        .map(list -> ScimAnswer.ok(list.get(0)));
  }

  /** Users as the wire shows them, with the groups they are members of when {@code withGroups}. */
  private Future<List<JsonObject>> rendered(SqlClient db, List<Stored> users, boolean withGroups) {
    if (!withGroups || users.isEmpty()) {
      return Future.succeededFuture(users.stream().map(u -> resources.user(u, List.of())).toList());
    }
    return DirectoryStore.groupsOf(db, users.stream().map(Stored::id).toList())
        .map(
            groups ->
                users.stream()
                    .map(u -> resources.user(u, groups.getOrDefault(u.id(), List.of())))
                    .toList());
  }

  public Future<ScimAnswer> create(JsonObject body, ScimCaller caller) {
    return ScimException.attempt(
        () -> {
          ScimShapes.schemas(body, ScimResources.USER_SCHEMA);
          ScimShapes.User user = ScimShapes.user(body);
          String id = UUID.randomUUID().toString();
          Instant now = now();
          return pool.withTransaction(
                  db ->
                      DirectoryStore.writeUser(db, id, user, now, now, 1)
                          .compose(x -> people.match(db, id, user))
                          .compose(
                              by -> recorded(db, "directory.user.created", id, user, by, caller))
                          .map(
                              marked ->
                                  new Written(
                                      ScimAnswer.created(
                                          resources.user(
                                              new Stored(id, user.attributes(), now, now, 1),
                                              List.of())),
                                      marked)))
              .compose(this::answered);
        });
  }

  public Future<ScimAnswer> replace(
      String id, JsonObject body, Optional<String> ifMatch, ScimCaller caller) {
    return ScimException.attempt(
        () -> {
          ScimShapes.schemas(body, ScimResources.USER_SCHEMA);
          ScimShapes.user(body.copy()); // refused before anything is locked when malformed
          return change(
              id, ifMatch, caller, current -> ScimShapes.user(activeKept(body.copy(), current)));
        });
  }

  public Future<ScimAnswer> patch(
      String id, JsonObject body, Optional<String> ifMatch, ScimCaller caller) {
    return ScimException.attempt(
        () -> {
          List<ScimPatch.Operation> ops = ScimPatch.read(body, ScimResources.USER_SCHEMA);
          return change(
              id,
              ifMatch,
              caller,
              current -> {
                JsonObject doc = current.attributes().copy();
                ScimPatch.apply(ops, doc, null, id, ScimResources.USER_SCHEMA);
                return ScimShapes.user(activeKept(doc, current));
              });
        });
  }

  public Future<ScimAnswer> delete(String id, Optional<String> ifMatch, ScimCaller caller) {
    return pool.withTransaction(
            db ->
                locked(db, id, ifMatch)
                    .compose(current -> deleted(db, id, current, caller))
                    .map(marked -> new Written(ScimAnswer.noContent(), marked)))
        .compose(this::answered);
  }

  /**
   * Before the row goes, the user is matched as any write matches it (a user written before its
   * person was first seen may be matched to nobody yet), and the mark is made from the person it is
   * matched to. Answers whether it marked them.
   */
  private Future<Boolean> deleted(SqlConnection db, String id, Stored current, ScimCaller caller) {
    String userName = current.attributes().getString("userName", "");
    return people
        .match(db, id, ScimShapes.user(current.attributes().copy()))
        .compose(by -> Deprovisions.mark(db, id, now()))
        .compose(
            marked ->
                DirectoryStore.delete(db, "directory_users", id)
                    .compose(
                        x ->
                            audit.userDeleted(
                                id,
                                userName,
                                marked ? Deprovisions.Standing.MARKED : Deprovisions.Standing.NONE,
                                caller))
                    .map(marked));
  }

  /**
   * A replacement or patch that leaves {@code active} out keeps it as it was: RFC 7643 leaves an
   * absent attribute unassigned, and reading that as true would re-activate a deactivated user,
   * lifting their person's mark, on a profile update nobody meant as a re-hire.
   */
  static JsonObject activeKept(JsonObject doc, Stored current) {
    if (ScimShapes.get(doc, "active") == null) {
      doc.put("active", current.attributes().getValue("active", true));
    }
    return doc;
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
                          return DirectoryStore.writeUser(
                                  db, id, user, current.created(), now, version)
                              .compose(x -> people.match(db, id, user))
                              .compose(
                                  by ->
                                      recorded(db, "directory.user.updated", id, user, by, caller))
                              .compose(
                                  marked ->
                                      rendered(
                                              db,
                                              List.of(
                                                  new Stored(
                                                      id,
                                                      user.attributes(),
                                                      current.created(),
                                                      now,
                                                      version)),
                                              true)
                                          .map(
                                              list ->
                                                  new Written(ScimAnswer.ok(list.get(0)), marked)));
                        }))
        .compose(this::answered);
  }

  /** A committed write's answer, and whether it marked someone deprovisioned. */
  private record Written(ScimAnswer answer, boolean marked) {}

  /**
   * The answer, once a mark the write made has had its work done: the provider that sees it knows
   * the person's grants are revoked. Work that fails here stays undone in its table, for the timer
   * every replica runs; the write stands either way.
   */
  private Future<ScimAnswer> answered(Written written) {
    if (!written.marked()) {
      return Future.succeededFuture(written.answer());
    }
    return deprovisioned.get().<Object>mapEmpty().otherwiseEmpty().map(x -> written.answer());
  }

  /**
   * The write's standing ({@link Deprovisions#standing}) and its audit event, which says what the
   * write did to the person's mark; answers whether it marked them.
   */
  private Future<Boolean> recorded(
      SqlConnection db,
      String type,
      String id,
      ScimShapes.User user,
      DirectoryPeople.By by,
      ScimCaller caller) {
    return Deprovisions.standing(db, id, user.active(), now())
        .compose(
            standing ->
                audit
                    .user(type, id, user, new DirectoryAudit.Outcome(by, standing), caller)
                    .map(standing == Deprovisions.Standing.MARKED));
  }

  private Future<Stored> locked(SqlConnection db, String id, Optional<String> ifMatch) {
    return DirectoryStore.locked(DirectoryStore.user(db, id, true), ifMatch, () -> missing(id));
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }

  private static ScimException missing(String id) {
    return ScimException.notFound("no user " + id);
  }
}
