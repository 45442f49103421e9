package dev.stint.directory;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The directory's active users, a page at a time in the order of their ids, each with what deciding
 * about them would use: the groups the directory gives them, their email, the person they are
 * matched to and that person's claims as last verified ({@code people_seen}). Read-only, for the
 * eligibility report ({@code GET /v1/reports/eligible}); inactive users are nobody's concern there.
 *
 * <p>A matched user's groups are those {@link DirectoryView} gives their person: of every active
 * user matched to the same person, so the report judges them as a decision would.
 */
public final class ActiveUsers {
  /** The most users one page holds. */
  public static final int MAX_PAGE = 1_000;

  static final String PAGE =
      "SELECT u.id, u.user_name, u.display_name, u.external_id, u.issuer, u.subject,"
          // The primary email, else the only one: as DirectoryPeople matches by email.
          + " (SELECT e.address FROM directory_user_emails e WHERE e.user_id = u.id"
          + " AND (e.is_primary OR (SELECT count(*) FROM directory_user_emails o"
          + " WHERE o.user_id = u.id) = 1) ORDER BY e.address LIMIT 1) AS email,"
          + " ARRAY(SELECT DISTINCT g.display_name FROM directory_users s"
          + " JOIN directory_members m ON m.user_id = s.id"
          + " JOIN directory_groups g ON g.id = m.group_id"
          + " WHERE s.active AND (s.id = u.id OR (s.issuer = u.issuer AND s.subject = u.subject))"
          + " ORDER BY 1) AS groups,"
          // A subquery by people_seen's key, not a join: joined, a later page hashes all of
          // people_seen and sorts its users instead of walking the id index to the page's end.
          + " (SELECT p.principal FROM people_seen p"
          + " WHERE p.issuer = u.issuer AND p.subject = u.subject) AS principal"
          + " FROM directory_users u"
          + " WHERE u.active AND u.id > $1 ORDER BY u.id LIMIT $2";

  private final Pool pool;

  public ActiveUsers(Pool pool) {
    this.pool = pool;
  }

  /** The person a user is matched to: the issuer's URL and the subject. */
  public record Match(String issuer, String subject) {}

  /**
   * One active user. {@code stored}: the claims stint last verified for the matched person, as
   * {@code people.StoredClaims} wrote them; empty when unmatched or never seen.
   */
  public record User(
      String id,
      String userName,
      Optional<String> displayName,
      Optional<String> externalId,
      Optional<String> email,
      List<String> groups,
      Optional<Match> match,
      Optional<JsonObject> stored) {
    public User {
      groups = List.copyOf(groups);
    }
  }

  /** Up to {@code limit} active users whose ids sort after {@code after} ("" for the first). */
  public Future<List<User>> after(String after, int limit) {
    return pool.preparedQuery(PAGE)
        .execute(Tuple.of(after, Math.min(limit, MAX_PAGE)))
        .map(
            rows -> {
              List<User> out = new ArrayList<>();
              for (Row r : rows) {
                out.add(user(r));
              }
              return out;
            });
  }

  private static User user(Row r) {
    Optional<Match> match =
        Optional.ofNullable(r.getString("subject"))
            .filter(s -> r.getString("issuer") != null)
            .map(s -> new Match(r.getString("issuer"), s));
    return new User(
        r.getString("id"),
        r.getString("user_name"),
        Optional.ofNullable(r.getString("display_name")),
        Optional.ofNullable(r.getString("external_id")),
        Optional.ofNullable(r.getString("email")),
        List.of(r.getArrayOfStrings("groups")),
        match,
        Optional.ofNullable(r.getJsonObject("principal")));
  }
}
