package dev.stint.directory;

import dev.stint.identity.Directory;
import dev.stint.identity.Principal;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * People of the directory's issuer seen (an API call, a sign-in) whom no directory user is matched
 * to yet. A provider pushes its users when they are assigned, usually before they ever use stint,
 * and a user is otherwise matched only when it is next written: without this, most people would
 * keep their token's groups until their profile next changed.
 *
 * <p>A sighting looks, in one transaction, for unmatched users whose {@code externalId} is the
 * person's {@code sub} or who carry the email their issuer verified, and matches each as a write
 * would ({@link DirectoryPeople#match}: the same rules, so an email two people share matches
 * nobody). A user found inactive marks the person deprovisioned there and then, as its write would
 * have had it been matched. Each match is recorded ({@code directory.user.matched}).
 *
 * <p>It asks the database only for a person the {@link Directory} does not know, and its caller
 * only asks when it records the person as seen ({@code access.PeopleSeen}: at most hourly per
 * replica for API calls), so a person with no user costs one indexed read an hour.
 */
public final class Sightings {
  /** Enough for any real person; a directory with more such users for one person is refused. */
  static final int MAX_CANDIDATES = 10;

  /**
   * Each way a user may name the person found by its own index first (materialized, so that the
   * planner cannot walk every user in id order instead), then the unmatched ones locked in id
   * order.
   */
  static final String UNMATCHED =
      "WITH named AS MATERIALIZED ("
          + "SELECT id FROM directory_users WHERE external_id = $1"
          + " UNION SELECT id FROM directory_users WHERE lower(user_name) = $2"
          + " UNION SELECT user_id FROM directory_user_emails WHERE address = $2)"
          + " SELECT u.id FROM directory_users u JOIN named n ON n.id = u.id"
          + " WHERE u.subject IS NULL ORDER BY u.id LIMIT "
          + MAX_CANDIDATES
          + " FOR UPDATE OF u";

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

  /** Matches {@code p}'s users, if they have unmatched ones; answers how many were matched. */
  public Future<Integer> seen(Principal p) {
    if (!(directory.standing(p.person()) instanceof Directory.Standing.Unknown)
        || !issuerUrl.get().filter(p.issuer()::equals).isPresent()) {
      return Future.succeededFuture(0);
    }
    Optional<String> email =
        Boolean.TRUE.equals(p.claims().get("email_verified"))
            ? p.email().map(e -> e.strip().toLowerCase(Locale.ROOT))
            : Optional.empty();
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    return pool.withTransaction(
            db ->
                db.preparedQuery(UNMATCHED)
                    .execute(Tuple.of(p.subject(), email.orElse(null)))
                    .compose(
                        rows -> {
                          List<String> ids = new ArrayList<>();
                          for (Row r : rows) {
                            ids.add(r.getString(0));
                          }
                          return matchEach(db, ids, 0, now, new Tally());
                        }))
        .compose(
            tally ->
                tally.marked
                    ? deprovisioned.get().otherwiseEmpty().map(x -> tally.matched)
                    : Future.succeededFuture(tally.matched));
  }

  /** What a sighting did. */
  private static final class Tally {
    int matched;
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
                          by == DirectoryPeople.By.NONE
                              ? Future.succeededFuture()
                              : Deprovisions.standing(db, id, user.active(), now)
                                  .compose(
                                      standing -> {
                                        tally.matched++;
                                        tally.marked |= standing == Deprovisions.Standing.MARKED;
                                        return audit.matched(
                                            id, user, new DirectoryAudit.Outcome(by, standing));
                                      }));
            })
        .compose(x -> matchEach(db, ids, i + 1, now, tally));
  }
}
