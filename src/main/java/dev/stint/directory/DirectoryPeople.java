package dev.stint.directory;

import dev.stint.identity.Emails;
import dev.stint.identity.MatchClaim;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Which person each directory user is, among the people stint has seen ({@code people_seen}) of the
 * directory's issuer ({@code directory.issuer}): the one whose {@code directory.match_claim}
 * ({@code sub} by default, {@code oid} for Entra ID) is the user's {@code externalId}, else the one
 * person whose issuer verified an email equal to the user's {@code userName} or primary email. Both
 * are claims of the issuer the directory speaks for, so a match by email stays within that issuer;
 * two people with the email match nobody.
 *
 * <p>Emails are compared as written, ASCII letters without their case, and an address with any
 * other character matches nobody ({@link Emails}): Unicode's case rules would let a lookalike take
 * someone else's user.
 *
 * <p>A user is matched when it is written, and when its person is seen ({@link Sightings}). A write
 * that finds nobody leaves an earlier match in place: an identity provider renaming a user's email
 * does not make them someone else, and deprovisioning must still find the person.
 */
final class DirectoryPeople {
  /** How a user was matched, for the audit: by the match claim's name, {@code email} or none. */
  record By(String code) {
    static final By EMAIL = new By("email");
    static final By NONE = new By("none");

    boolean matched() {
      return !equals(NONE);
    }
  }

  /**
   * By the match claim, anyone; by email, only people the directory has not deprovisioned: a
   * leaver's address given to someone else must not make the new user the leaver. A person's match
   * claim and its value are those they were last seen with.
   */
  static final String CANDIDATES =
      "SELECT p.subject, coalesce(p.match_claim = $4 AND p.match_id = $2, false)"
          + " FROM people_seen p WHERE p.issuer = $1"
          + " AND ((p.match_claim = $4 AND p.match_id = $2) OR (p.email = ANY($3)"
          + " AND NOT EXISTS (SELECT 1 FROM directory_deprovisioned d WHERE d.issuer = p.issuer"
          + " AND d.subject = p.subject AND d.lifted_at IS NULL)))";

  private final Pool pool;
  private final Supplier<Optional<String>> issuerUrl;
  private final MatchClaim claim;

  /**
   * {@code issuerUrl}: the directory's issuer's URL in the policy in force, if it names one; {@code
   * claim}: the claim of its tokens a user's externalId names a person by.
   */
  DirectoryPeople(Pool pool, Supplier<Optional<String>> issuerUrl, MatchClaim claim) {
    this.pool = pool;
    this.issuerUrl = issuerUrl;
    this.claim = claim;
  }

  MatchClaim claim() {
    return claim;
  }

  /** Matches user {@code id}, as {@code user} now is, and records the match on its row. */
  Future<By> match(SqlClient db, String id, ScimShapes.User user) {
    Optional<String> issuer = issuerUrl.get();
    if (issuer.isEmpty()) {
      return Future.succeededFuture(By.NONE);
    }
    Tuple args =
        Tuple.of(issuer.get(), user.externalId().filter(x -> !x.isBlank()).orElse(null))
            .addArrayOfString(emails(user).toArray(new String[0]))
            .addString(claim.name());
    return db.preparedQuery(CANDIDATES)
        .execute(args)
        .compose(
            rows -> {
              Set<String> byEmail = new TreeSet<>();
              Optional<String> byClaim = Optional.empty();
              for (Row r : rows) {
                if (r.getBoolean(1)) {
                  byClaim = Optional.of(r.getString(0));
                } else {
                  byEmail.add(r.getString(0));
                }
              }
              By by =
                  byClaim.isPresent()
                      ? new By(claim.name())
                      : byEmail.size() == 1 ? By.EMAIL : By.NONE;
              if (!by.matched()) {
                return Future.succeededFuture(By.NONE);
              }
              String subject = byClaim.orElseGet(() -> byEmail.iterator().next());
              return db.preparedQuery(
                      "UPDATE directory_users SET issuer = $1, subject = $2 WHERE id = $3")
                  .execute(Tuple.of(issuer.get(), subject, id))
                  .map(by);
            });
  }

  /**
   * The addresses a match by email may use, in the form they are matched in: userName when it is
   * one, and the primary emails; none that is not plain ASCII ({@link Emails}).
   */
  static List<String> emails(ScimShapes.User user) {
    Set<String> out = new LinkedHashSet<>();
    Emails.matchable(user.userName().strip()).ifPresent(out::add);
    List<ScimShapes.Email> primary =
        user.emails().size() == 1
            ? user.emails()
            : user.emails().stream().filter(ScimShapes.Email::primary).toList();
    primary.forEach(e -> Emails.matchable(e.address().strip()).ifPresent(out::add));
    return List.copyOf(out);
  }
}
