package dev.stint.access;

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
import java.util.Locale;
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
 */
public final class PeopleSeen {
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
  private final Map<String, Instant> written = new ConcurrentHashMap<>();

  public PeopleSeen(Pool pool, Clock clock) {
    this.pool = pool;
    this.clock = clock;
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
    Instant now = clock.instant();
    written.put(p.issuer() + "\n" + p.subject(), now);
    return record(p, now);
  }

  private Future<Void> record(Principal p, Instant now) {
    return pool.preparedQuery(
            "INSERT INTO people_seen (issuer, subject, principal, email,"
                + " seen_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (issuer, subject) DO UPDATE"
                + " SET principal = $3, email = $4, seen_at = $5 WHERE people_seen.seen_at <= $5")
        .execute(
            Tuple.of(
                p.issuer(),
                p.subject(),
                StoredClaims.of(p),
                verifiedEmail(p).orElse(null),
                OffsetDateTime.ofInstant(now, ZoneOffset.UTC)))
        .mapEmpty();
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

  /** The people whose issuer verified {@code email} since {@code since}, most recent first. */
  public Future<List<Seen>> withEmail(String email, Instant since) {
    return pool.preparedQuery(WITH_EMAIL)
        .execute(
            Tuple.of(
                email.toLowerCase(Locale.ROOT), OffsetDateTime.ofInstant(since, ZoneOffset.UTC)))
        .map(PeopleSeen::rows);
  }

  /** Only an email the issuer says it verified ({@code email_verified: true}) is kept. */
  static Optional<String> verifiedEmail(Principal p) {
    return Boolean.TRUE.equals(p.claims().get("email_verified"))
        ? p.email().map(e -> e.toLowerCase(Locale.ROOT))
        : Optional.empty();
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
