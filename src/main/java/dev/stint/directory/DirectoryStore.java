package dev.stint.directory;

import dev.stint.common.Timestamps;
import dev.stint.directory.FilterSql.Where;
import dev.stint.directory.ScimShapes.Email;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The directory's tables ({@code V33__directory.sql}): users with their emails, groups with their
 * members. Every statement takes the connection it runs on, so a write and its audit event share
 * the caller's transaction; the uniqueness the RFC asks for is the database's own (unique indexes),
 * reported as {@code uniqueness}.
 */
final class DirectoryStore {
  /** A stored resource: its id, document, times and version (the ETag). */
  record Stored(String id, JsonObject attributes, Instant created, Instant updated, long version) {}

  /** One member of a group, with what a provider shows for it. */
  record Member(String id, String display) {}

  /** One group a user is a member of, with its display name: the user's {@code groups}. */
  record Membership(String group, String display) {}

  /** A page of a list, and how many rows the filter matches in all. */
  record Page<T>(long total, List<T> rows) {}

  static final String USER_COLUMNS = "u.id, u.attributes, u.created_at, u.updated_at, u.version";
  static final String GROUP_COLUMNS = "g.id, g.attributes, g.created_at, g.updated_at, g.version";

  static final String USER_BY_ID =
      "SELECT " + USER_COLUMNS + " FROM directory_users u WHERE u.id = $1";
  static final String GROUP_BY_ID =
      "SELECT " + GROUP_COLUMNS + " FROM directory_groups g WHERE g.id = $1";

  /**
   * Each member's display name looked up by its key: a join let the planner read the whole users
   * table to name the members of a few groups.
   */
  static final String MEMBERS =
      "SELECT m.group_id, m.user_id, (SELECT coalesce(u.display_name, u.user_name)"
          + " FROM directory_users u WHERE u.id = m.user_id)"
          + " FROM directory_members m WHERE m.group_id = ANY($1) ORDER BY m.group_id, m.user_id";

  /** The groups of some users, each named by its key, as {@link #MEMBERS} names the members. */
  static final String GROUPS_OF =
      "SELECT m.user_id, m.group_id, (SELECT g.display_name FROM directory_groups g"
          + " WHERE g.id = m.group_id)"
          + " FROM directory_members m WHERE m.user_id = ANY($1) ORDER BY m.user_id, m.group_id";

  private DirectoryStore() {}

  /**
   * A list of users or of groups, in the order of their unique case-insensitive name (the index
   * that keeps it unique also serves the order).
   */
  enum Listing {
    USERS("directory_users u", USER_COLUMNS, "lower(u.user_name)"),
    GROUPS("directory_groups g", GROUP_COLUMNS, "lower(g.display_name)");

    private final String table;
    private final String columns;
    private final String order;

    Listing(String table, String columns, String order) {
      this.table = table;
      this.columns = columns;
      this.order = order;
    }

    String count(Optional<Where> where) {
      return "SELECT count(*) FROM " + table + condition(where);
    }

    /** Limits in the text, as the other stores write them: both are numbers stint chose. */
    String page(Optional<Where> where, long offset, int count) {
      return "SELECT "
          + columns
          + " FROM "
          + table
          + condition(where)
          + " ORDER BY "
          + order
          + " LIMIT "
          + count
          + " OFFSET "
          + offset;
    }

    private static String condition(Optional<Where> where) {
      return where.map(w -> " WHERE " + w.sql()).orElse("");
    }
  }

  static Future<Page<Stored>> list(
      SqlClient db, Listing listing, Optional<Where> where, long offset, int count) {
    Tuple params = Tuple.tuple(where.map(Where::params).orElse(List.of()));
    return db.preparedQuery(listing.count(where))
        .execute(params)
        .compose(
            total -> {
              long all = total.iterator().next().getLong(0);
              if (count == 0 || offset >= all) {
                return Future.succeededFuture(new Page<>(all, List.<Stored>of()));
              }
              return db.preparedQuery(listing.page(where, offset, count))
                  .execute(params)
                  .map(rows -> new Page<>(all, stored(rows)));
            });
  }

  /**
   * A write's row, {@code found} under its lock: refused as missing, or as changed since the
   * version {@code If-Match} names.
   */
  static Future<Stored> locked(
      Future<Optional<Stored>> found, Optional<String> ifMatch, Supplier<ScimException> missing) {
    return found.map(
        row -> {
          Stored s = row.orElseThrow(missing);
          ScimVersion.check(ifMatch, s.version());
          return s;
        });
  }

  static Future<Optional<Stored>> user(SqlClient db, String id, boolean lock) {
    return one(db, USER_BY_ID, id, lock);
  }

  static Future<Optional<Stored>> group(SqlClient db, String id, boolean lock) {
    return one(
        db, "SELECT " + GROUP_COLUMNS + " FROM directory_groups g WHERE g.id = $1", id, lock);
  }

  private static Future<Optional<Stored>> one(SqlClient db, String sql, String id, boolean lock) {
    return db.preparedQuery(sql + (lock ? " FOR UPDATE" : ""))
        .execute(Tuple.of(id))
        .map(rows -> stored(rows).stream().findFirst());
  }

  private static List<Stored> stored(Iterable<Row> rows) {
    List<Stored> out = new ArrayList<>();
    for (Row r : rows) {
      out.add(
          new Stored(
              r.getString(0),
              (JsonObject) r.getValue(1),
              r.getOffsetDateTime(2).toInstant(),
              r.getOffsetDateTime(3).toInstant(),
              r.getLong(4)));
    }
    return out;
  }

  /** Inserts or, with {@code version} above 1, rewrites the user; then its emails. */
  static Future<Void> writeUser(
      SqlClient db, String id, ScimShapes.User u, Instant created, Instant now, long version) {
    String sql =
        version == 1
            ? "INSERT INTO directory_users (id, user_name, external_id, display_name, active,"
                + " attributes, created_at, updated_at, version)"
                + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
            : "UPDATE directory_users SET user_name = $2, external_id = $3, display_name = $4,"
                + " active = $5, attributes = $6, created_at = $7, updated_at = $8, version = $9"
                + " WHERE id = $1";
    Tuple row =
        Tuple.of(
                id,
                u.userName(),
                u.externalId().orElse(null),
                u.displayName().orElse(null),
                u.active(),
                u.attributes())
            .addValue(Timestamps.utc(created))
            .addValue(Timestamps.utc(now))
            .addValue(version);
    return db.preparedQuery(sql)
        .execute(row)
        .recover(DirectoryStore::conflict)
        .compose(x -> emails(db, id, u.emails()));
  }

  /**
   * A user's emails as SCIM's filters compare them (RFC 7643: case-insensitive, by {@code lower()},
   * which also folds some letters of other scripts into ASCII ones). Never the form a person is
   * matched by: {@link DirectoryPeople} matches on the user's own addresses, ASCII case only
   * ({@code identity.Emails}); these rows only let a sighting find candidate users by index.
   */
  private static Future<Void> emails(SqlClient db, String id, List<Email> emails) {
    Future<?> cleared =
        db.preparedQuery("DELETE FROM directory_user_emails WHERE user_id = $1")
            .execute(Tuple.of(id));
    if (emails.isEmpty()) {
      return cleared.mapEmpty();
    }
    List<Tuple> rows = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (Email e : emails) {
      if (seen.add(e.address().toLowerCase(Locale.ROOT))) {
        rows.add(Tuple.of(id, e.address(), e.primary()));
      }
    }
    return cleared.compose(
        x ->
            db.preparedQuery(
                    "INSERT INTO directory_user_emails (user_id, address, is_primary)"
                        + " VALUES ($1, lower($2), $3) ON CONFLICT DO NOTHING")
                .executeBatch(rows)
                .mapEmpty());
  }

  static Future<Void> writeGroup(
      SqlClient db, String id, ScimShapes.Group g, Instant created, Instant now, long version) {
    String sql =
        version == 1
            ? "INSERT INTO directory_groups (id, display_name, external_id, attributes,"
                + " created_at, updated_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7)"
            : "UPDATE directory_groups SET display_name = $2, external_id = $3, attributes = $4,"
                + " created_at = $5, updated_at = $6, version = $7 WHERE id = $1";
    Tuple row =
        Tuple.of(id, g.displayName(), g.externalId().orElse(null), g.attributes())
            .addValue(Timestamps.utc(created))
            .addValue(Timestamps.utc(now))
            .addValue(version);
    return db.preparedQuery(sql).execute(row).recover(DirectoryStore::conflict).mapEmpty();
  }

  static Future<Boolean> delete(SqlClient db, String table, String id) {
    return db.preparedQuery("DELETE FROM " + table + " WHERE id = $1")
        .execute(Tuple.of(id))
        .map(rows -> rows.rowCount() == 1);
  }

  /** The ids among {@code ids} that name no user. */
  static Future<Set<String>> unknownUsers(SqlClient db, Collection<String> ids) {
    if (ids.isEmpty()) {
      return Future.succeededFuture(Set.of());
    }
    return db.preparedQuery("SELECT id FROM directory_users WHERE id = ANY($1)")
        .execute(Tuple.tuple().addArrayOfString(ids.toArray(new String[0])))
        .map(
            rows -> {
              Set<String> known = new HashSet<>();
              rows.forEach(r -> known.add(r.getString(0)));
              return ids.stream().filter(i -> !known.contains(i)).collect(Collectors.toSet());
            });
  }

  /** The members of each of {@code groups}, by user id. */
  static Future<List<Row>> members(SqlClient db, Collection<String> groups) {
    return db.preparedQuery(MEMBERS)
        .execute(Tuple.tuple().addArrayOfString(groups.toArray(new String[0])))
        .map(
            rows -> {
              List<Row> out = new ArrayList<>();
              rows.forEach(out::add);
              return out;
            });
  }

  /** The groups each of {@code users} is a member of, by user id; none for a user in none. */
  static Future<Map<String, List<Membership>>> groupsOf(SqlClient db, Collection<String> users) {
    if (users.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    return db.preparedQuery(GROUPS_OF)
        .execute(Tuple.tuple().addArrayOfString(users.toArray(new String[0])))
        .map(
            rows -> {
              Map<String, List<Membership>> out = new HashMap<>();
              for (Row r : rows) {
                out.computeIfAbsent(r.getString(0), u -> new ArrayList<>())
                    .add(new Membership(r.getString(1), r.getString(2)));
              }
              return out;
            });
  }

  static Future<Void> changeMembers(
      SqlClient db, String group, Collection<String> added, Collection<String> removed) {
    Future<?> gone =
        removed.isEmpty()
            ? Future.succeededFuture()
            : db.preparedQuery(
                    "DELETE FROM directory_members WHERE group_id = $1 AND user_id = ANY($2)")
                .execute(Tuple.of(group).addArrayOfString(removed.toArray(new String[0])));
    return gone.compose(
        x ->
            added.isEmpty()
                ? Future.succeededFuture()
                : db.preparedQuery(
                        "INSERT INTO directory_members (group_id, user_id)"
                            + " SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING")
                    .execute(Tuple.of(group).addArrayOfString(added.toArray(new String[0])))
                    .recover(DirectoryStore::conflict)
                    .mapEmpty());
  }

  /** A broken unique index is the RFC's {@code uniqueness}; a vanished member, a bad value. */
  private static <T> Future<T> conflict(Throwable e) {
    if (e instanceof PgException pg && "23505".equals(pg.getSqlState())) {
      String what =
          String.valueOf(pg.getConstraint()).contains("user_name")
              ? "a user with this userName exists"
              : String.valueOf(pg.getConstraint()).contains("display_name")
                  ? "a group with this displayName exists"
                  : "the resource exists";
      return Future.failedFuture(ScimException.uniqueness(what));
    }
    if (e instanceof PgException pg && "23503".equals(pg.getSqlState())) {
      return Future.failedFuture(ScimException.invalidValue("a member named is no user"));
    }
    return Future.failedFuture(e);
  }
}
