package dev.stint.review;

import dev.stint.access.EligibilityHolds;
import dev.stint.common.Timestamps;
import dev.stint.identity.Person;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Eligibility a review's removal suspended ({@code eligibility_suspensions}): a person's for one
 * profile, held until a later review keeps them or an admin restores it. Every write and the check
 * each request's insert makes ({@link #held}) first take the person's turn for the profile (a
 * transaction advisory lock), so a removal and a request filed at the same moment never pass each
 * other: either the request is in place when the removal ends it, or it sees the suspension.
 */
public final class Suspensions implements EligibilityHolds {
  /**
   * The person's turn for the profile, held to the end of the caller's transaction: taken alone by
   * a suspension or a restore, shared by the request inserts that ask ({@link #SHARED_TURN}), so
   * inserts never wait on one another (nor on one a silent database left open), only on a
   * suspension being written, and a suspension waits for the inserts already under way.
   */
  static final String TURN =
      "SELECT pg_advisory_xact_lock(hashtextextended($1 || chr(10) || $2 || chr(10) || $3,"
          + " 5653974))";

  static final String SHARED_TURN =
      "SELECT pg_advisory_xact_lock_shared(hashtextextended($1 || chr(10) || $2 || chr(10) || $3,"
          + " 5653974))";

  static final String HELD =
      "SELECT review_id, suspended_at FROM eligibility_suspensions"
          + " WHERE issuer = $1 AND subject = $2 AND profile = $3 AND restored_at IS NULL";

  /**
   * A suspension with the person as the review that made it listed them: its item's email, which a
   * restore compares with the caller's (an email only ever refuses).
   */
  static final String HELD_AS_LISTED =
      "SELECT s.review_id, s.suspended_at, i.email FROM eligibility_suspensions s"
          + " LEFT JOIN access_review_items i ON i.review_id = s.review_id"
          + " AND i.issuer = s.issuer AND i.subject = s.subject"
          + " WHERE s.issuer = $1 AND s.subject = $2 AND s.profile = $3 AND s.restored_at IS NULL";

  static final String SUSPEND =
      "INSERT INTO eligibility_suspensions (profile, issuer, subject, review_id, suspended_at)"
          + " VALUES ($3, $1, $2, $4, $5) ON CONFLICT (profile, issuer, subject)"
          + " WHERE restored_at IS NULL DO NOTHING";

  static final String RESTORE =
      "UPDATE eligibility_suspensions SET restored_at = $4, restored_by_issuer = $5,"
          + " restored_by_subject = $6, restored_by_review = $7"
          + " WHERE issuer = $1 AND subject = $2 AND profile = $3 AND restored_at IS NULL"
          + " RETURNING review_id, suspended_at";

  static final String OF_PROFILE =
      "SELECT issuer, subject, review_id, suspended_at FROM eligibility_suspensions"
          + " WHERE profile = $1 AND restored_at IS NULL";

  /** A suspension found for a restore: the hold, and the person as its review listed them. */
  record Listed(Hold hold, Person person) {}

  /** Who lifted a suspension: an admin, or a later review that kept the person. */
  record Lifter(Optional<Person> admin, Optional<String> review) {}

  @Override
  public Future<Optional<Hold>> held(SqlConnection conn, Person person, String profile) {
    return conn.preparedQuery(SHARED_TURN)
        .execute(key(person, profile))
        .compose(x -> conn.preparedQuery(HELD).execute(key(person, profile)))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(hold(first(rows))));
  }

  /** In the person's turn: suspends them by {@code reviewId}; false when they already were. */
  static Future<Boolean> suspend(
      SqlConnection conn, Person person, String profile, String reviewId, Instant at) {
    return turn(conn, person, profile)
        .compose(
            x ->
                conn.preparedQuery(SUSPEND)
                    .execute(key(person, profile).addValue(reviewId).addValue(Timestamps.utc(at))))
        .map(rows -> rows.rowCount() == 1);
  }

  /**
   * In the person's turn, taken alone until the caller's transaction ends: their suspension, if
   * any, with the person as the review that suspended them listed them, for the restore to decide
   * on before it lifts it.
   */
  static Future<Optional<Listed>> listed(SqlConnection conn, Person person, String profile) {
    return turn(conn, person, profile)
        .compose(x -> conn.preparedQuery(HELD_AS_LISTED).execute(key(person, profile)))
        .map(
            rows -> {
              if (rows.size() == 0) {
                return Optional.empty();
              }
              Row r = first(rows);
              Optional<String> email = Optional.ofNullable(r.getString("email"));
              return Optional.of(
                  new Listed(hold(r), new Person(person.issuer(), person.subject(), email)));
            });
  }

  /** In the person's turn: lifts their suspension, answering the hold it lifted, if any. */
  static Future<Optional<Hold>> restore(
      SqlConnection conn, Person person, String profile, Lifter by, Instant at) {
    Tuple args =
        key(person, profile)
            .addValue(Timestamps.utc(at))
            .addValue(by.admin().map(Person::issuer).orElse(null))
            .addValue(by.admin().map(Person::subject).orElse(null))
            .addValue(by.review().orElse(null));
    return turn(conn, person, profile)
        .compose(x -> conn.preparedQuery(RESTORE).execute(args))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(hold(first(rows))));
  }

  /** Everyone suspended from {@code profile} now, by person (issuer URL and subject). */
  static Future<Map<Person, Hold>> ofProfile(SqlClient client, String profile) {
    return client
        .preparedQuery(OF_PROFILE)
        .execute(Tuple.of(profile))
        .map(
            rows -> {
              Map<Person, Hold> out = new HashMap<>();
              for (Row r : rows) {
                out.put(
                    new Person(r.getString("issuer"), r.getString("subject"), Optional.empty()),
                    hold(r));
              }
              return out;
            });
  }

  private static Future<?> turn(SqlConnection conn, Person person, String profile) {
    return conn.preparedQuery(TURN).execute(key(person, profile));
  }

  private static Tuple key(Person person, String profile) {
    return Tuple.of(person.issuer(), person.subject(), profile);
  }

  private static Row first(RowSet<Row> rows) {
    return rows.iterator().next();
  }

  private static Hold hold(Row r) {
    return new Hold(r.getString("review_id"), r.getOffsetDateTime("suspended_at").toInstant());
  }
}
