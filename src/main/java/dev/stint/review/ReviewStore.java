package dev.stint.review;

import dev.stint.common.Timestamps;
import dev.stint.identity.Person;
import dev.stint.policy.ReviewRule;
import dev.stint.review.ReviewItem.Decision;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The reviews and their items ({@code access_reviews}, {@code access_review_items}): a review and
 * its items written in one statement each, an item decided by a write that finds it undecided, a
 * review closed by one that finds it open. Each takes the caller's connection, so a decision, its
 * suspension, its audit events and its revocations commit together.
 */
final class ReviewStore {
  static final String INSERT_REVIEW =
      "INSERT INTO access_reviews (id, profile, opened_at, opened_by_issuer, opened_by_subject,"
          + " period_start, due_at, when_overdue) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";

  static final String INSERT_ITEM =
      "INSERT INTO access_review_items (review_id, issuer, subject, email, eligible_by, grants,"
          + " last_minted, calls, unused_grants, unused_unseen, suggestion, suggestion_why,"
          + " suspended) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)";

  static final String REVIEW_COLUMNS =
      "id, profile, state, opened_at, opened_by_issuer, opened_by_subject, period_start, due_at,"
          + " when_overdue, closed_at, closed_how";

  static final String ONE = "SELECT " + REVIEW_COLUMNS + " FROM access_reviews WHERE id = $1";

  static final String ITEMS =
      "SELECT * FROM access_review_items WHERE review_id = $1 ORDER BY issuer, subject";

  static final String LIST =
      "SELECT "
          + REVIEW_COLUMNS
          + " FROM access_reviews WHERE ($1::text IS NULL OR state = $1)"
          + " AND ($2::text IS NULL OR profile = $2)"
          + " AND ($4::text[] IS NULL OR profile = ANY($4))"
          + " ORDER BY opened_at DESC, id DESC LIMIT $3";

  static final String COUNTS =
      "SELECT review_id, count(*) AS total, count(decision) AS decided,"
          + " count(*) FILTER (WHERE decision = 'keep') AS kept,"
          + " count(*) FILTER (WHERE decision = 'remove') AS removed"
          + " FROM access_review_items WHERE review_id = ANY($1) GROUP BY review_id";

  static final String LATEST_OPENED =
      "SELECT max(opened_at) AS latest FROM access_reviews WHERE profile = $1";

  /** The profile's declaration, recorded the first time the schedule finds it; answers it. */
  static final String DECLARED =
      "WITH mark AS (INSERT INTO access_review_schedule (profile, declared_at) VALUES ($1, $2)"
          + " ON CONFLICT (profile) DO NOTHING RETURNING declared_at)"
          + " SELECT declared_at FROM mark UNION ALL"
          + " SELECT declared_at FROM access_review_schedule WHERE profile = $1";

  static final String DECIDE =
      "UPDATE access_review_items SET decision = $4, decided_by_issuer = $5,"
          + " decided_by_subject = $6, decided_at = $7, comment = $8, overdue = $9"
          + " WHERE review_id = $1 AND issuer = $2 AND subject = $3 AND decision IS NULL";

  static final String CLOSE =
      "UPDATE access_reviews SET state = 'closed', closed_at = $2, closed_how = $3"
          + " WHERE id = $1 AND state = 'open'";

  static final String DUE =
      "SELECT id FROM access_reviews WHERE state = 'open' AND due_at <= $1"
          + " ORDER BY due_at LIMIT $2 FOR UPDATE SKIP LOCKED";

  /** Reviews one list shows at most, the latest first. */
  static final int LISTED = 200;

  private ReviewStore() {}

  /** Writes {@code r} and its items on {@code conn}. */
  static Future<Void> insert(SqlConnection conn, Review r) {
    Tuple review =
        Tuple.of(
                r.id(),
                r.profile(),
                Timestamps.utc(r.openedAt()),
                r.openedBy().map(Person::issuer).orElse(null),
                r.openedBy().map(Person::subject).orElse(null),
                Timestamps.utc(r.periodStart()))
            .addValue(Timestamps.utc(r.dueAt()))
            .addValue(r.whenOverdue().code());
    List<Tuple> items = r.items().stream().map(i -> item(r.id(), i)).toList();
    Future<?> written = conn.preparedQuery(INSERT_REVIEW).execute(review);
    if (!items.isEmpty()) {
      written = written.compose(x -> conn.preparedQuery(INSERT_ITEM).executeBatch(items));
    }
    return written.mapEmpty();
  }

  private static Tuple item(String reviewId, ReviewItem i) {
    ReviewItem.EligibleBy by = i.eligibleBy();
    JsonObject eligible =
        new JsonObject()
            .put("rule", by.rule())
            .put("groups", new JsonArray(by.groups()))
            .put("basis", by.basis())
            .put("conditional_on", new JsonArray(by.conditionalOn()));
    return Tuple.of(
            reviewId,
            i.person().issuer(),
            i.person().subject(),
            i.person().email().orElse(null),
            eligible,
            i.evidence().grants())
        .addValue(i.evidence().lastMinted().map(Timestamps::utc).orElse(null))
        .addValue(i.evidence().calls())
        .addValue(i.evidence().unusedGrants())
        .addValue(i.evidence().unusedUnseen().orElse(null))
        .addValue(i.suggestion().choice().code())
        .addValue(i.suggestion().why())
        .addValue(i.suspended());
  }

  /** The review {@code id} with its items, read on {@code client}. */
  static Future<Optional<Review>> load(SqlClient client, String id) {
    return client
        .preparedQuery(ONE)
        .execute(Tuple.of(id))
        .compose(
            rows -> {
              if (rows.size() == 0) {
                return Future.succeededFuture(Optional.empty());
              }
              Review r = review(rows.iterator().next());
              return client
                  .preparedQuery(ITEMS)
                  .execute(Tuple.of(id))
                  .map(
                      items -> {
                        List<ReviewItem> out = new ArrayList<>();
                        items.forEach(row -> out.add(ReviewRows.item(row)));
                        return Optional.of(r.withItems(out));
                      });
            });
  }

  /** Locks review {@code id}'s row for the rest of {@code conn}'s transaction, then loads it. */
  static Future<Optional<Review>> locked(SqlConnection conn, String id) {
    return conn.preparedQuery("SELECT id FROM access_reviews WHERE id = $1 FOR UPDATE")
        .execute(Tuple.of(id))
        .compose(x -> load(conn, id));
  }

  /** The latest reviews, by state and profile when given, without their items. */
  static Future<List<Review>> list(
      SqlClient client, Optional<Review.State> state, Optional<String> profile) {
    return list(client, state, profile, Optional.empty());
  }

  /** As above, of {@code among} profiles only when given (the ones a reviewer may read). */
  static Future<List<Review>> list(
      SqlClient client,
      Optional<Review.State> state,
      Optional<String> profile,
      Optional<List<String>> among) {
    return client
        .preparedQuery(LIST)
        .execute(
            Tuple.of(
                state.map(Review.State::code).orElse(null),
                profile.orElse(null),
                LISTED,
                among.map(a -> a.toArray(String[]::new)).orElse(null)))
        .map(
            rows -> {
              List<Review> out = new ArrayList<>();
              rows.forEach(row -> out.add(review(row)));
              return out;
            });
  }

  /** Each review's progress, by id. */
  static Future<Map<String, ReviewProgress>> progress(SqlClient client, List<String> ids) {
    return client
        .preparedQuery(COUNTS)
        .execute(Tuple.of(ids.toArray(String[]::new)))
        .map(
            rows -> {
              Map<String, ReviewProgress> out = new HashMap<>();
              for (Row r : rows) {
                out.put(
                    r.getString("review_id"),
                    new ReviewProgress(
                        r.getLong("total").intValue(),
                        r.getLong("decided").intValue(),
                        r.getLong("kept").intValue(),
                        r.getLong("removed").intValue()));
              }
              return out;
            });
  }

  /** When the latest review of {@code profile} opened, if any ever did. */
  static Future<Optional<Instant>> latestOpened(SqlClient client, String profile) {
    return client
        .preparedQuery(LATEST_OPENED)
        .execute(Tuple.of(profile))
        .map(
            rows ->
                Optional.ofNullable(rows.iterator().next().getOffsetDateTime("latest"))
                    .map(OffsetDateTime::toInstant));
  }

  /** When the schedule first found {@code profile} declaring a review ({@code now} if just now). */
  static Future<Instant> declared(SqlClient client, String profile, Instant now) {
    return client
        .preparedQuery(DECLARED)
        .execute(Tuple.of(profile, Timestamps.utc(now)))
        .map(rows -> rows.iterator().next().getOffsetDateTime("declared_at").toInstant());
  }

  /** Records {@code d} on the person's item if it is still undecided; false otherwise. */
  static Future<Boolean> decide(SqlConnection conn, String reviewId, Person person, Decision d) {
    Tuple args =
        Tuple.of(
                reviewId,
                person.issuer(),
                person.subject(),
                d.choice().code(),
                d.by().map(Person::issuer).orElse(null),
                d.by().map(Person::subject).orElse(null))
            .addValue(Timestamps.utc(d.at()))
            .addValue(d.comment().orElse(null))
            .addValue(d.overdue());
    return conn.preparedQuery(DECIDE).execute(args).map(rows -> rows.rowCount() == 1);
  }

  /** Closes review {@code id} if it is open; false otherwise. */
  static Future<Boolean> close(SqlConnection conn, String id, Instant at, Review.Closed.How how) {
    return conn.preparedQuery(CLOSE)
        .execute(Tuple.of(id, Timestamps.utc(at), how.code()))
        .map(rows -> rows.rowCount() == 1);
  }

  /** Open reviews due by {@code now}, locked (others' locked ones skipped), at most {@code max}. */
  static Future<List<String>> due(SqlConnection conn, Instant now, int max) {
    return conn.preparedQuery(DUE)
        .execute(Tuple.of(Timestamps.utc(now), max))
        .map(
            rows -> {
              List<String> out = new ArrayList<>();
              rows.forEach(r -> out.add(r.getString("id")));
              return out;
            });
  }

  static Review review(Row r) {
    Optional<Person> openedBy =
        Optional.ofNullable(r.getString("opened_by_issuer"))
            .map(i -> new Person(i, r.getString("opened_by_subject"), Optional.empty()));
    Optional<Review.Closed> closed =
        Optional.ofNullable(r.getOffsetDateTime("closed_at"))
            .map(
                at ->
                    new Review.Closed(
                        at.toInstant(),
                        Review.Closed.How.valueOf(
                            r.getString("closed_how").toUpperCase(Locale.ROOT))));
    return new Review(
        r.getString("id"),
        r.getString("profile"),
        Review.State.of(r.getString("state")),
        r.getOffsetDateTime("opened_at").toInstant(),
        openedBy,
        r.getOffsetDateTime("period_start").toInstant(),
        r.getOffsetDateTime("due_at").toInstant(),
        ReviewRule.WhenOverdue.valueOf(r.getString("when_overdue").toUpperCase(Locale.ROOT)),
        closed,
        List.of());
  }
}
