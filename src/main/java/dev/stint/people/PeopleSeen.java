package dev.stint.people;

import dev.stint.identity.Emails;
import dev.stint.identity.MatchClaim;
import dev.stint.identity.Principal;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The people stint has seen (table {@code people_seen}): each person's latest verified claims and
 * when they were verified, written on every web sign-in and, at most once per {@link #REFRESH} per
 * replica, on API calls. It answers who could approve a request and which Slack user an email
 * belongs to; it grants nothing by itself, since every use re-evaluates the policy on the stored
 * claims.
 *
 * <p>With each person it keeps what a directory user may name them by: the email their issuer
 * verified, in the form it is matched in ({@link Emails}: none when it is not plain ASCII), and the
 * value of {@code directory.match_claim} ({@link MatchClaim}) as last verified.
 */
public final class PeopleSeen {
  /**
   * Claims older than this are not trusted to say who someone is now: who could approve or review
   * is looked for among the people seen within it, and those not seen within it are forgotten.
   */
  public static final Duration SEEN_WITHIN = Duration.ofDays(30);

  /** API calls refresh a person's row at most this often: a write per call would cost issuance. */
  static final Duration REFRESH = Duration.ofHours(1);

  /** How many people a replica remembers having written; past it, it forgets them all. */
  private static final int REMEMBERED = 50_000;

  private static final Logger LOG = LoggerFactory.getLogger(PeopleSeen.class);
  static final String RECENT =
      "SELECT * FROM people_seen WHERE seen_at >= $1" + " ORDER BY seen_at DESC LIMIT $2";
  static final String FORGET = "DELETE FROM people_seen WHERE seen_at < $1";
  static final String WITH_EMAIL =
      "SELECT * FROM people_seen WHERE email = $1 AND seen_at >= $2"
          + " ORDER BY seen_at DESC LIMIT 10";

  private final Pool pool;
  private final Clock clock;
  private final MatchClaim matchClaim;
  private final Map<String, Instant> written = new ConcurrentHashMap<>();

  /** People kept with their {@code sub} as the claim directory users name them by. */
  public PeopleSeen(Pool pool, Clock clock) {
    this(pool, clock, MatchClaim.SUB);
  }

  /** {@code matchClaim}: the claim a directory user's externalId names a person by. */
  public PeopleSeen(Pool pool, Clock clock, MatchClaim matchClaim) {
    this.pool = pool;
    this.clock = clock;
    this.matchClaim = matchClaim;
  }

  /** A person seen: whose claims, which email the issuer verified, when. */
  public record Seen(
      String issuer,
      String subject,
      JsonObject principal,
      Optional<String> email,
      Instant seenAt) {}

  /**
   * An API call by this verified person: recorded unless this replica did so within {@link
   * #REFRESH}; answers whether it was recorded now. Never delays or fails the call (the answer
   * comes after the call went on); a lost write only makes the list older.
   */
  public Future<Boolean> called(Principal p) {
    Instant now = clock.instant();
    String key = p.issuer() + "\n" + p.subject();
    Instant last = written.get(key);
    if (last != null && last.isAfter(now.minus(REFRESH))) {
      return Future.succeededFuture(false);
    }
    if (written.size() >= REMEMBERED) {
      written.clear();
    }
    written.put(key, now);
    return record(p, now)
        .map(true)
        .recover(
            e -> {
              written.remove(key, now);
              LOG.warn("could not record that {} was seen: {}", p.display(), e.toString());
              return Future.succeededFuture(false);
            });
  }

  /** A web sign-in: always recorded (a sign-in is rarer than an API call and freshest). */
  public Future<Void> signedIn(Principal p) {
    return seenNow(p);
  }

  /**
   * A person whose claims were just verified, recorded now and not again by {@link #called} within
   * {@link #REFRESH}; fails when the row cannot be written. Before a person the directory does not
   * know is admitted, their directory users are looked for, which needs them recorded first.
   */
  public Future<Void> seenNow(Principal p) {
    Instant now = clock.instant();
    written.put(p.issuer() + "\n" + p.subject(), now);
    return record(p, now);
  }

  static final String RECORD =
      "INSERT INTO people_seen (issuer, subject, principal, email, seen_at, match_claim, match_id)"
          + " VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (issuer, subject) DO UPDATE"
          + " SET principal = $3, email = $4, seen_at = $5, match_claim = $6, match_id = $7"
          + " WHERE people_seen.seen_at <= $5";

  private Future<Void> record(Principal p, Instant now) {
    return pool.preparedQuery(RECORD)
        .execute(
            Tuple.of(
                p.issuer(),
                p.subject(),
                StoredClaims.of(p),
                verifiedEmail(p).orElse(null),
                OffsetDateTime.ofInstant(now, ZoneOffset.UTC),
                matchClaim.name(),
                matchClaim.of(p).orElse(null)))
        .mapEmpty();
  }

  static final String REKEY =
      "UPDATE people_seen SET match_claim = $1::text, match_id = CASE"
          + " WHEN $1::text = 'sub' THEN subject"
          + " WHEN jsonb_typeof(principal->'claims'->$1::text) = 'string'"
          + " AND btrim(principal->'claims'->>$1::text) <> ''"
          + " THEN principal->'claims'->>$1::text END"
          + " WHERE match_claim IS DISTINCT FROM $1::text";

  /**
   * People recorded under another match claim (before {@code directory.match_claim} changed), or by
   * a stint from before it existed, are named by this one from now on, its value read from the
   * verified claims each row keeps; answers how many. Until then a user is matched to them by email
   * only: never by the other claim's value.
   */
  public Future<Integer> rekeyed() {
    return pool.preparedQuery(REKEY)
        .execute(Tuple.of(matchClaim.name()))
        .map(rows -> rows.rowCount());
  }

  /**
   * Forgets the people not seen since {@code before}: their claims are no use to anyone (no list or
   * match looks that far back) and are not kept longer than needed.
   */
  public Future<Integer> forget(Instant before) {
    return pool.preparedQuery(FORGET)
        .execute(Tuple.of(OffsetDateTime.ofInstant(before, ZoneOffset.UTC)))
        .map(rows -> rows.rowCount());
  }

  /** The people seen since {@code since}, most recent first, at most {@code limit}. */
  public Future<List<Seen>> recent(Instant since, int limit) {
    return pool.preparedQuery(RECENT)
        .execute(Tuple.of(OffsetDateTime.ofInstant(since, ZoneOffset.UTC), limit))
        .map(PeopleSeen::rows);
  }

  /**
   * The people whose issuer verified {@code email} since {@code since}, most recent first: the
   * address as it is, ASCII letters without their case; nobody for an address that is not plain
   * ASCII ({@link Emails}).
   */
  public Future<List<Seen>> withEmail(String email, Instant since) {
    Optional<String> matchable = Emails.matchable(email);
    if (matchable.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    return pool.preparedQuery(WITH_EMAIL)
        .execute(Tuple.of(matchable.get(), OffsetDateTime.ofInstant(since, ZoneOffset.UTC)))
        .map(PeopleSeen::rows);
  }

  /**
   * The email kept, and matched by: only one the issuer says it verified ({@code email_verified:
   * true}), in the form it is matched in, and none when it is not plain ASCII ({@link Emails}).
   */
  static Optional<String> verifiedEmail(Principal p) {
    return emailVerified(p) ? p.email().flatMap(Emails::matchable) : Optional.empty();
  }

  /** Whether {@code p}'s issuer says it verified the email their token carries. */
  public static boolean emailVerified(Principal p) {
    return p.email().isPresent() && Boolean.TRUE.equals(p.claims().get("email_verified"));
  }

  private static List<Seen> rows(RowSet<Row> rows) {
    List<Seen> out = new ArrayList<>();
    for (Row r : rows) {
      out.add(
          new Seen(
              r.getString("issuer"),
              r.getString("subject"),
              r.getJsonObject("principal"),
              Optional.ofNullable(r.getString("email")),
              r.getOffsetDateTime("seen_at").toInstant()));
    }
    return out;
  }
}
