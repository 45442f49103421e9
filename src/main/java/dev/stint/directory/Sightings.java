package dev.stint.directory;

import dev.stint.identity.Directory;
import dev.stint.identity.Directory.Standing;
import dev.stint.identity.Emails;
import dev.stint.identity.Principal;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * People of the directory's issuer seen whom the {@link Directory} does not know: a provider pushes
 * its users when they are assigned, usually before they ever use stint, so their users are matched
 * when they are first seen, before that first call is admitted ({@link FirstCalls}).
 *
 * <p>A sighting looks, in one transaction, for unmatched users whose {@code externalId} is the
 * person's {@code directory.match_claim} ({@code sub}, or {@code oid} for Entra ID) or who carry
 * the email their issuer verified (plain ASCII only, {@link Emails}), and matches each as a write
 * would ({@link DirectoryPeople#match}: the same rules, so an email two people share matches
 * nobody). A user found inactive marks the person deprovisioned there and then, as its write would
 * have had it been matched. Each match is recorded ({@code directory.user.matched}). Then, in the
 * same transaction, it reads what the directory now says of the person: refused when a
 * deprovisioned mark is in force, else the groups of their active users when any user is matched to
 * them, else nothing (their token's groups stand).
 *
 * <p>The person must be among the people seen first ({@code people_seen}, the caller's to write): a
 * user is matched to someone stint has seen, by the rules a write uses.
 */
public final class Sightings {
  private static final Logger LOG = LoggerFactory.getLogger(Sightings.class);

  /** Enough for any real person; a directory with more such users for one person is refused. */
  static final int MAX_CANDIDATES = 10;

  /**
   * Each way a user may name the person found by its own index first (materialized, so that the
   * planner cannot walk every user in id order instead), then the unmatched ones locked in id
   * order. The emails' indexes are by {@code lower()}, which folds letters of other scripts into
   * ASCII: they only find candidates, and userName is compared again without that folding; which
   * person each candidate is, {@link DirectoryPeople#match} decides on the user's own addresses.
   */
  static final String UNMATCHED =
      "WITH named AS MATERIALIZED ("
          + "SELECT id FROM directory_users WHERE external_id = $1"
          + " UNION SELECT id FROM directory_users WHERE lower(user_name) = $2"
          + " AND lower(user_name COLLATE \"C\") = $2"
          + " UNION SELECT user_id FROM directory_user_emails WHERE address = $2)"
          + " SELECT u.id FROM directory_users u JOIN named n ON n.id = u.id"
          + " WHERE u.subject IS NULL ORDER BY u.id LIMIT "
          + MAX_CANDIDATES
          + " FOR UPDATE OF u";

  /** A deprovisioned mark in force on the person. */
  static final String MARK =
      "SELECT at FROM directory_deprovisioned"
          + " WHERE issuer = $1 AND subject = $2 AND lifted_at IS NULL";

  /** The person's users, each with the groups it is in. */
  static final String GROUPS =
      "SELECT u.active, g.display_name FROM directory_users u"
          + " LEFT JOIN directory_members m ON m.user_id = u.id"
          + " LEFT JOIN directory_groups g ON g.id = m.group_id"
          + " WHERE u.issuer = $1 AND u.subject = $2";

  private final Pool pool;
  private final DirectoryPeople people;
  private final DirectoryAudit audit;
  private final Supplier<Optional<String>> issuerUrl;
  private final Directory directory;
  private final Clock clock;
  private final Supplier<Future<?>> deprovisioned;

  Sightings(
      Pool pool,
      DirectoryPeople people,
      DirectoryAudit audit,
      Supplier<Optional<String>> issuerUrl,
      Directory directory,
      Clock clock,
      Supplier<Future<?>> deprovisioned) {
    this.pool = pool;
    this.people = people;
    this.audit = audit;
    this.issuerUrl = issuerUrl;
    this.directory = directory;
    this.clock = clock;
    this.deprovisioned = deprovisioned;
  }

  /**
   * What the directory says of {@code p} now: their unmatched users matched first, then their
   * standing read from the database in the same transaction. A person the in-memory directory
   * already knows, or of another issuer, is not looked for. A person it marks deprovisioned has the
   * work of the mark started after the commit (not waited for: the refusal does not wait on it).
   */
  public Future<Standing> look(Principal p) {
    Standing known = directory.standing(p.person());
    if (!(known instanceof Standing.Unknown)) {
      return Future.succeededFuture(known);
    }
    Optional<String> issuer = issuerUrl.get().filter(p.issuer()::equals);
    if (issuer.isEmpty()) {
      return Future.succeededFuture(known);
    }
    Optional<String> named = people.claim().of(p);
    Optional<String> email =
        Boolean.TRUE.equals(p.claims().get("email_verified"))
            ? p.email().flatMap(Emails::matchable)
            : Optional.empty();
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    Tally tally = new Tally();
    return pool.withTransaction(
            db ->
                db.preparedQuery(UNMATCHED)
                    .execute(Tuple.of(named.orElse(null), email.orElse(null)))
                    .compose(
                        rows -> {
                          List<String> ids = new ArrayList<>();
                          for (Row r : rows) {
                            ids.add(r.getString(0));
                          }
                          return matchEach(db, ids, 0, now, tally);
                        })
                    .compose(x -> standing(db, issuer.get(), p.subject())))
        .onSuccess(
            standing -> {
              if (tally.marked) {
                deprovisioned
                    .get()
                    .onFailure(e -> LOG.warn("deprovisioning after a sighting: {}", e.toString()));
              }
            });
  }

  /** What a sighting did: whether it marked the person deprovisioned. */
  private static final class Tally {
    boolean marked;
  }

  private Future<Tally> matchEach(
      SqlConnection db, List<String> ids, int i, Instant now, Tally tally) {
    if (i == ids.size()) {
      return Future.succeededFuture(tally);
    }
    String id = ids.get(i);
    return DirectoryStore.user(db, id, true)
        .compose(
            found -> {
              if (found.isEmpty()) {
                return Future.succeededFuture();
              }
              ScimShapes.User user = ScimShapes.user(found.get().attributes().copy());
              return people
                  .match(db, id, user)
                  .compose(
                      by ->
                          !by.matched()
                              ? Future.succeededFuture()
                              : Deprovisions.standing(db, id, user.active(), now)
                                  .compose(
                                      standing -> {
                                        tally.marked |= standing == Deprovisions.Standing.MARKED;
                                        return audit.matched(
                                            id, user, new DirectoryAudit.Outcome(by, standing));
                                      }));
            })
        .compose(x -> matchEach(db, ids, i + 1, now, tally));
  }

  /**
   * What the directory says of the person, as {@link DirectoryView} would once it reads it: refused
   * under a mark in force, else the groups of their active users when any user is theirs.
   */
  static Future<Standing> standing(SqlConnection db, String issuer, String subject) {
    Tuple person = Tuple.of(issuer, subject);
    return db.preparedQuery(MARK)
        .execute(person)
        .compose(
            marks -> {
              if (marks.size() > 0) {
                return Future.succeededFuture(
                    new Standing.Deprovisioned(
                        marks.iterator().next().getOffsetDateTime(0).toInstant()));
              }
              return db.preparedQuery(GROUPS).execute(person).map(Sightings::groups);
            });
  }

  private static Standing groups(RowSet<Row> rows) {
    if (rows.size() == 0) {
      return new Standing.Unknown();
    }
    SortedSet<String> groups = new TreeSet<>();
    for (Row r : rows) {
      if (r.getBoolean(0) && r.getString(1) != null) {
        groups.add(r.getString(1));
      }
    }
    return new Standing.Member(List.copyOf(groups));
  }
}
