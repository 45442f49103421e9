package dev.stint.directory;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Which person each directory user is, among the people stint has seen ({@code people_seen}) of the
 * directory's issuer ({@code directory.issuer}): the one whose {@code sub} is the user's {@code
 * externalId}, else the one person whose issuer verified an email equal to the user's {@code
 * userName} or primary email. Both are claims of the issuer the directory speaks for, so a match by
 * email stays within that issuer; two people with the email match nobody.
 *
 * <p>A user is matched when it is written. A write that finds nobody leaves an earlier match in
 * place: an identity provider renaming a user's email does not make them someone else, and
 * deprovisioning must still find the person. Someone first seen after their user was last written
 * is not matched until the next write (the sign-in side is not built yet).
 */
final class DirectoryPeople {
  /** How a user was matched, for the audit. */
  enum By {
    SUB,
    EMAIL,
    NONE
  }

  /**
   * By sub, anyone; by email, only people the directory has not deprovisioned: a leaver's address
   * given to someone else must not make the new user the leaver.
   */
  static final String CANDIDATES =
      "SELECT p.subject, p.subject = $2 FROM people_seen p"
          + " WHERE p.issuer = $1 AND (p.subject = $2 OR (p.email = ANY($3)"
          + " AND NOT EXISTS (SELECT 1 FROM directory_deprovisioned d WHERE d.issuer = p.issuer"
          + " AND d.subject = p.subject AND d.lifted_at IS NULL)))";

  private final Pool pool;
  private final Supplier<Optional<String>> issuerUrl;

  /** {@code issuerUrl}: the directory's issuer's URL in the policy in force, if it names one. */
  public DirectoryPeople(Pool pool, Supplier<Optional<String>> issuerUrl) {
    this.pool = pool;
    this.issuerUrl = issuerUrl;
  }

  /** Matches user {@code id}, as {@code user} now is, and records the match on its row. */
  Future<By> match(SqlClient db, String id, ScimShapes.User user) {
    Optional<String> issuer = issuerUrl.get();
    if (issuer.isEmpty()) {
      return Future.succeededFuture(By.NONE);
    }
    String sub = user.externalId().orElse("");
    Tuple args = Tuple.of(issuer.get(), sub).addArrayOfString(emails(user).toArray(new String[0]));
    return db.preparedQuery(CANDIDATES)
        .execute(args)
        .compose(
            rows -> {
              Set<String> byEmail = new TreeSet<>();
              Optional<String> bySub = Optional.empty();
              for (Row r : rows) {
                if (r.getBoolean(1)) {
                  bySub = Optional.of(r.getString(0));
                } else {
                  byEmail.add(r.getString(0));
                }
              }
              By by = bySub.isPresent() ? By.SUB : byEmail.size() == 1 ? By.EMAIL : By.NONE;
              if (by == By.NONE) {
                return Future.succeededFuture(By.NONE);
              }
              String subject = bySub.orElseGet(() -> byEmail.iterator().next());
              return db.preparedQuery(
                      "UPDATE directory_users SET issuer = $1, subject = $2 WHERE id = $3")
                  .execute(Tuple.of(issuer.get(), subject, id))
                  .map(by);
            });
  }

  /** The addresses a match by email may use: userName when it is one, and the primary emails. */
  static List<String> emails(ScimShapes.User user) {
    Set<String> out = new LinkedHashSet<>();
    if (user.userName().contains("@")) {
      out.add(user.userName().strip().toLowerCase(Locale.ROOT));
    }
    List<ScimShapes.Email> primary =
        user.emails().size() == 1
            ? user.emails()
            : user.emails().stream().filter(ScimShapes.Email::primary).toList();
    primary.forEach(e -> out.add(e.address().toLowerCase(Locale.ROOT)));
    return List.copyOf(out);
  }
}
