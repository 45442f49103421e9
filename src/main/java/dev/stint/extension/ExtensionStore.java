package dev.stint.extension;

import dev.stint.access.AccessRequest;
import dev.stint.access.RequestListener;
import dev.stint.access.RequestsInTransaction;
import dev.stint.access.Vote;
import dev.stint.common.Timestamps;
import dev.stint.db.Snapshot;
import dev.stint.error.StintException;
import dev.stint.identity.Person;
import dev.stint.outbox.Outbox;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Extensions in Postgres. Every change first locks the original request's row — the lock that
 * revocation, expiry and approval of that request take too — so an extension can never be approved
 * while its grant is being revoked, and two extensions never both move one grant.
 */
final class ExtensionStore {
  static final String COLUMNS =
      "id, grant_id, request_id, profile, requester_issuer, "
          + "requester_subject, requester_email, duration_seconds, reason, approvals_required, state, "
          + "approvals, created_at, updated_at, version";

  /**
   * Votes live in the {@code approvals} array ({@code at} as ISO-8601, which casts): a pending
   * extension the person asked for, or one they approved.
   */
  static final String PENDING_OF =
      "SELECT DISTINCT request_id FROM grant_extensions e WHERE state = 'pending'"
          + " AND ((requester_issuer = $1 AND requester_subject = $2)"
          + " OR EXISTS (SELECT 1 FROM jsonb_array_elements(e.approvals) v"
          + " WHERE v->>'issuer' = $1 AND v->>'subject' = $2 AND v->>'decision' = 'approve'"
          + " AND ($3::timestamptz IS NULL OR (v->>'at')::timestamptz < $3)))"
          + " ORDER BY request_id";

  private final Pool pool;
  private final Outbox<RequestListener.Change> outbox;

  ExtensionStore(Pool pool) {
    this(pool, new Outbox<>(pool));
  }

  /**
   * @param outbox where each change's effects are written, in the change's transaction
   */
  ExtensionStore(Pool pool, Outbox<RequestListener.Change> outbox) {
    this.outbox = outbox;
    this.pool = pool;
  }

  /**
   * The request and its extensions as seen under the request's lock; {@code ciRule} names the CI
   * rule that opened the request, if one did.
   */
  record Locked(AccessRequest request, List<Extension> extensions, Optional<String> ciRule) {
    Optional<String> pending() {
      return extensions.stream()
          .filter(e -> e.state() == Extension.State.PENDING)
          .map(Extension::id)
          .findFirst();
    }

    Optional<Extension> find(String id) {
      return extensions.stream().filter(e -> e.id().equals(id)).findFirst();
    }
  }

  /**
   * Runs {@code decide} under the request's row lock; a {@link ExtensionMachine.Changed} result is
   * written (extension, grant end) in the same transaction, after {@code decide}'s own work (the
   * audit append) succeeded.
   */
  Future<ExtensionMachine.Result> update(
      String requestId, Function<Locked, Future<ExtensionMachine.Result>> decide) {
    return update(requestId, decide, (locked, changed) -> List.of());
  }

  /**
   * As {@link #update(String, Function)}; the changes {@code effects} names for a {@link
   * ExtensionMachine.Changed} result are written to the outbox in the same transaction.
   */
  Future<ExtensionMachine.Result> update(
      String requestId,
      Function<Locked, Future<ExtensionMachine.Result>> decide,
      BiFunction<Locked, ExtensionMachine.Changed, List<RequestListener.Change>> effects) {
    return pool.withTransaction(conn -> update(conn, requestId, decide, effects));
  }

  /**
   * As {@link #update(String, Function, BiFunction)}, on {@code conn}'s transaction, which the
   * caller commits (a deprovisioning's, for a leaver's extensions and votes).
   */
  Future<ExtensionMachine.Result> update(
      SqlConnection conn,
      String requestId,
      Function<Locked, Future<ExtensionMachine.Result>> decide,
      BiFunction<Locked, ExtensionMachine.Changed, List<RequestListener.Change>> effects) {
    return RequestsInTransaction.lock(conn, requestId)
        .compose(
            found ->
                found.isEmpty()
                    ? Future.failedFuture(StintException.notFound("no request " + requestId))
                    : extensions(conn, requestId)
                        .map(list -> new Locked(found.get().request(), list, found.get().ciRule())))
        .compose(
            locked ->
                decide
                    .apply(locked)
                    .compose(
                        result ->
                            result instanceof ExtensionMachine.Changed changed
                                ? write(conn, locked.find(changed.extension().id()), changed)
                                    .compose(
                                        x -> outbox.enqueue(conn, effects.apply(locked, changed)))
                                    .map(result)
                                : Future.succeededFuture(result)));
  }

  /**
   * The requests, in id order, with a pending extension that {@code person} asked for, or approved
   * before {@code before} (when given): what ending their extensions and votes looks at.
   */
  Future<List<String>> pendingOf(SqlConnection conn, Person person, Optional<Instant> before) {
    return conn.preparedQuery(PENDING_OF)
        .execute(
            Tuple.of(person.issuer(), person.subject(), before.map(Timestamps::utc).orElse(null)))
        .map(ExtensionStore::requestIds);
  }

  /** A request as it is now (for notifications after a commit), read as of one moment. */
  Future<Optional<AccessRequest>> findRequest(String requestId) {
    return Snapshot.read(
        pool,
        conn ->
            RequestsInTransaction.read(conn, List.of(requestId))
                .map(list -> list.stream().findFirst().map(RequestsInTransaction.Opened::request)));
  }

  /**
   * Extension {@code extensionId} with its request, as of one moment: never an approved extension
   * beside the grant's old end, which its decision moved in the same commit.
   */
  Future<Optional<ExtensionSeen>> withRequest(String extensionId) {
    String one = "SELECT " + COLUMNS + " FROM grant_extensions WHERE id = $1";
    return Snapshot.read(
        pool,
        conn ->
            conn.preparedQuery(one)
                .execute(Tuple.of(extensionId))
                .compose(rows -> withRequests(conn, extensions(rows)))
                .map(found -> found.stream().findFirst()));
  }

  /** A page of extensions with their requests, and where the next page starts if any remain. */
  record Page(List<ExtensionSeen> extensions, Optional<ExtensionCursor> next) {}

  /**
   * The newest extensions (only pending ones when asked) after {@code after}, with their requests
   * as they are now. One row more than the page is read to know whether more remain; the cursor's
   * {@code created_at <=} bounds the index scan, the OR beside it breaks ties on one instant.
   */
  Future<Page> list(boolean pendingOnly, int limit, Optional<ExtensionCursor> after) {
    List<String> where = new ArrayList<>();
    Tuple args = Tuple.of(limit + 1);
    if (pendingOnly) {
      where.add("state = 'pending'");
    }
    after.ifPresent(
        c -> {
          args.addOffsetDateTime(Timestamps.utc(c.createdAt())).addString(c.id());
          where.add("created_at <= $2 AND (created_at < $2 OR id > $3)");
        });
    String sql =
        "SELECT "
            + COLUMNS
            + " FROM grant_extensions"
            + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
            + " ORDER BY created_at DESC, id LIMIT $1";
    return Snapshot.read(
        pool,
        conn ->
            conn.preparedQuery(sql)
                .execute(args)
                .compose(
                    rows -> {
                      List<Extension> found = extensions(rows);
                      Optional<ExtensionCursor> next =
                          found.size() > limit
                              ? Optional.of(ExtensionCursor.after(found.get(limit - 1)))
                              : Optional.empty();
                      if (next.isPresent()) {
                        found.remove(limit);
                      }
                      return withRequests(conn, found).map(locked -> new Page(locked, next));
                    }));
  }

  /** Each extension with its request as it is now, in the extensions' order. */
  private static Future<List<ExtensionSeen>> withRequests(
      SqlConnection conn, List<Extension> found) {
    List<String> ids = found.stream().map(Extension::requestId).distinct().toList();
    return RequestsInTransaction.read(conn, ids)
        .map(
            requests ->
                found.stream()
                    .flatMap(
                        e ->
                            requests.stream()
                                .filter(o -> o.request().id().equals(e.requestId()))
                                .map(o -> new ExtensionSeen(o.request(), e)))
                    .toList());
  }

  /** One request's extensions, oldest first, as they are now (no lock: for showing them). */
  Future<List<Extension>> ofRequest(String requestId) {
    return pool.preparedQuery(
            "SELECT "
                + COLUMNS
                + " FROM grant_extensions WHERE request_id = $1"
                + " ORDER BY created_at")
        .execute(Tuple.of(requestId))
        .map(ExtensionStore::extensions);
  }

  /** The request an extension belongs to (to take that request's lock). */
  Future<Optional<String>> requestOf(String extensionId) {
    return pool.preparedQuery("SELECT request_id FROM grant_extensions WHERE id = $1")
        .execute(Tuple.of(extensionId))
        .map(
            rows ->
                rows.size() == 0
                    ? Optional.<String>empty()
                    : Optional.of(rows.iterator().next().getString("request_id")));
  }

  /** The requests with a pending extension whose grant was revoked or has ended. */
  Future<List<String>> stale(Instant now, int limit) {
    return pool.preparedQuery(
            "SELECT DISTINCT e.request_id FROM grant_extensions e JOIN grants g"
                + " ON g.id = e.grant_id WHERE e.state = 'pending'"
                + " AND (g.revoked_at IS NOT NULL OR g.ends_at <= $1) LIMIT $2")
        .execute(Tuple.of(Timestamps.utc(now), limit))
        .map(ExtensionStore::requestIds);
  }

  private static List<String> requestIds(RowSet<Row> rows) {
    List<String> ids = new ArrayList<>();
    rows.forEach(r -> ids.add(r.getString("request_id")));
    return ids;
  }

  private static Future<List<Extension>> extensions(SqlConnection conn, String requestId) {
    return conn.preparedQuery(
            "SELECT "
                + COLUMNS
                + " FROM grant_extensions WHERE request_id = $1"
                + " ORDER BY created_at FOR UPDATE")
        .execute(Tuple.of(requestId))
        .map(ExtensionStore::extensions);
  }

  private static Future<Void> write(
      SqlConnection conn, Optional<Extension> before, ExtensionMachine.Changed changed) {
    Extension e = changed.extension();
    Future<?> row =
        before.isEmpty()
            ? conn.preparedQuery(
                    "INSERT INTO grant_extensions ("
                        + COLUMNS
                        + ") VALUES ($1, $2, $3,"
                        + " $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)")
                .execute(insert(e))
            : conn.preparedQuery(
                    "UPDATE grant_extensions SET state = $2, approvals = $3,"
                        + " updated_at = $4, version = $5 WHERE id = $1 AND version = $6")
                .execute(
                    Tuple.of(
                        e.id(),
                        e.state().code(),
                        votes(e.votes()),
                        Timestamps.utc(e.updatedAt()),
                        e.version(),
                        before.get().version()))
                .compose(
                    rows ->
                        rows.rowCount() == 1
                            ? Future.succeededFuture()
                            : Future.failedFuture(
                                new IllegalStateException(
                                    "extension " + e.id() + " changed under its lock")));
    // A new end gets its own reminder: reminded_at is for the end it was sent for.
    return row.compose(
        x ->
            changed.newGrantEnd().isEmpty()
                ? Future.succeededFuture()
                : RequestsInTransaction.moveGrantEnd(
                    conn, e.grantId(), changed.newGrantEnd().get()));
  }

  private static Tuple insert(Extension e) {
    return Tuple.tuple(
            List.of(
                e.id(),
                e.grantId(),
                e.requestId(),
                e.profile(),
                e.requester().issuer(),
                e.requester().subject()))
        .addValue(e.requester().email().orElse(null))
        .addValue((int) e.duration().toSeconds())
        .addValue(e.reason())
        .addValue(e.approvalsRequired())
        .addValue(e.state().code())
        .addValue(votes(e.votes()))
        .addValue(Timestamps.utc(e.createdAt()))
        .addValue(Timestamps.utc(e.updatedAt()))
        .addValue(e.version());
  }

  private static JsonArray votes(List<Vote> votes) {
    JsonArray out = new JsonArray();
    for (Vote v : votes) {
      out.add(
          new JsonObject()
              .put("issuer", v.approver().issuer())
              .put("subject", v.approver().subject())
              .put("email", v.approver().email().orElse(null))
              .put("decision", v.decision().code())
              .put("comment", v.comment().orElse(null))
              .put("at", v.at().toString()));
    }
    return out;
  }

  /** Each row as an extension, in order; a list that may be changed. */
  private static List<Extension> extensions(RowSet<Row> rows) {
    List<Extension> out = new ArrayList<>();
    rows.forEach(r -> out.add(extension(r)));
    return out;
  }

  static Extension extension(Row r) {
    Person requester =
        new Person(
            r.getString("requester_issuer"),
            r.getString("requester_subject"),
            Optional.ofNullable(r.getString("requester_email")));
    List<Vote> votes = new ArrayList<>();
    JsonArray stored = (JsonArray) r.getValue("approvals");
    for (int i = 0; i < stored.size(); i++) {
      JsonObject v = stored.getJsonObject(i);
      votes.add(
          new Vote(
              new Person(
                  v.getString("issuer"),
                  v.getString("subject"),
                  Optional.ofNullable(v.getString("email"))),
              Vote.Decision.valueOf(v.getString("decision").toUpperCase(Locale.ROOT)),
              Optional.ofNullable(v.getString("comment")),
              Instant.parse(v.getString("at"))));
    }
    return new Extension(
        r.getString("id"),
        r.getString("grant_id"),
        r.getString("request_id"),
        r.getString("profile"),
        requester,
        Duration.ofSeconds(r.getInteger("duration_seconds")),
        r.getString("reason"),
        r.getInteger("approvals_required"),
        Extension.State.of(r.getString("state")),
        votes,
        instant(r, "created_at"),
        instant(r, "updated_at"),
        r.getInteger("version"));
  }

  private static Instant instant(Row row, String column) {
    return row.getOffsetDateTime(column).toInstant();
  }
}
