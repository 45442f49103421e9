package dev.stint.ledger;

import static dev.stint.ledger.Ledger.CHAIN;
import static dev.stint.ledger.Ledger.CHAINED;
import static dev.stint.ledger.Ledger.MAX_LISTED;

import dev.stint.common.Timestamps;
import dev.stint.mint.SessionRevoker.Cut;
import dev.stint.mint.SessionRevoker.Holder;
import dev.stint.mint.SessionRevoker.Revoked;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The ledger as one target's revocation needs it ({@code SessionRevoker.Records}): which revoked
 * grants still have sessions on the target that may be alive, their own or chained from them; whom
 * a cutoff would cut; and when the deny was confirmed in place, from which the chain window is
 * counted.
 */
public final class RoleLedger {
  /**
   * A chained session can start no later than its source is denied or expires: before the deny is
   * confirmed ({@code ended_at} null) only the expiry bounds it.
   */
  private static final String CHAINED_FROM = "least(ended_at, expires_at)";

  public static final String REVOKED_ON =
      "SELECT grant_id, source_identity,"
          + " max(expires_at) AS until, max("
          + CHAINED_FROM
          + ") AS chained_from,"
          + " max(issued_at) AS last_issued FROM credentials"
          + " WHERE target = $1 AND state = 'revoked' AND expires_at > $2::timestamptz - "
          + CHAINED
          + " AND (expires_at > $2 OR "
          + CHAINED_FROM
          + " > $2::timestamptz - "
          + CHAINED
          + ")"
          + " AND grant_id IS NOT NULL AND source_identity IS NOT NULL"
          + " GROUP BY grant_id, source_identity ORDER BY grant_id, source_identity";

  /**
   * Marks the live credentials a cutoff denies as cut (an earlier cut keeps its time), and answers
   * how many, their grants and their holders. {@code $5}: a person's source identity prefix with
   * its dot ({@code PERSON.}), or null for every holder.
   */
  public static final String CUT_BETWEEN =
      "WITH cut AS (UPDATE credentials SET cut_at = coalesce(cut_at, $2)"
          + " WHERE target = $1 AND state = 'live' AND expires_at > $2"
          + " AND issued_at >= $3 AND issued_at < $4"
          + " AND ($5::text IS NULL OR starts_with(source_identity, $5::text))"
          + " RETURNING grant_id, holder_issuer, holder_subject)"
          + " SELECT count(*) AS n,"
          + " (array_agg(DISTINCT grant_id) FILTER (WHERE grant_id IS NOT NULL))[1:"
          + MAX_LISTED
          + "] AS grants,"
          + " (array_agg(DISTINCT holder_issuer || ' ' || holder_subject))[1:"
          + MAX_LISTED
          + "] AS people FROM cut";

  public static final String REVOKED_UNTIL =
      "SELECT max(greatest(expires_at, "
          + CHAINED_FROM
          + " + "
          + CHAINED
          + ")) AS until FROM credentials WHERE target = $1 AND state = 'revoked'"
          + " AND expires_at > $2::timestamptz - "
          + CHAINED
          + " AND issued_at < $3";
  public static final String CONFIRM_DENIED =
      "UPDATE credentials SET ended_at = $2"
          + " WHERE target = $1 AND state = 'revoked' AND ended_at IS NULL"
          + " AND expires_at > $2::timestamptz - "
          + CHAINED;

  private final Pool pool;

  public RoleLedger(Pool pool) {
    this.pool = pool;
  }

  /** The revoked grants with sessions on {@code target} that may still be alive at {@code now}. */
  public Future<List<Revoked>> revokedOn(String target, Instant now) {
    return pool.preparedQuery(REVOKED_ON)
        .execute(Tuple.of(target, Timestamps.utc(now)))
        .map(
            rows -> {
              List<Revoked> out = new ArrayList<>();
              for (Row r : rows) {
                out.add(
                    new Revoked(
                        r.getString("grant_id"),
                        r.getString("source_identity"),
                        r.getOffsetDateTime("until").toInstant(),
                        r.getOffsetDateTime("chained_from").toInstant().plus(CHAIN),
                        r.getOffsetDateTime("last_issued").toInstant()));
              }
              return out;
            });
  }

  /**
   * The live credentials on {@code target} issued from {@code from} (an earlier cutoff already cut
   * those before it) and before {@code before}, still unexpired, of {@code person} alone when
   * given: recorded as cut at {@code now}.
   */
  public Future<Cut> cutBetween(
      String target, Optional<String> person, Instant now, Instant from, Instant before) {
    return pool.preparedQuery(CUT_BETWEEN)
        .execute(
            Tuple.of(
                target,
                Timestamps.utc(now),
                Timestamps.utc(from),
                Timestamps.utc(before),
                person.map(p -> p + ".").orElse(null)))
        .map(
            rows -> {
              Row r = rows.iterator().next();
              String[] grants = r.getArrayOfStrings("grants");
              String[] people = r.getArrayOfStrings("people");
              List<Holder> holders = new ArrayList<>();
              for (String p : people == null ? new String[0] : people) {
                int space = p.indexOf(' ');
                holders.add(new Holder(p.substring(0, space), p.substring(space + 1)));
              }
              return new Cut(r.getLong("n"), grants == null ? List.of() : List.of(grants), holders);
            });
  }

  /**
   * When the last revoked session on {@code target} issued before {@code before}, or one chained
   * from it, can have ended.
   */
  public Future<Optional<Instant>> revokedUntil(String target, Instant now, Instant before) {
    return pool.preparedQuery(REVOKED_UNTIL)
        .execute(Tuple.of(target, Timestamps.utc(now), Timestamps.utc(before)))
        .map(rows -> Ledger.instant(rows.iterator().next(), "until"));
  }

  /**
   * Records that the deny on {@code target} is in place at {@code at} for every revoked session it
   * names: no session can be chained from them after it.
   */
  public Future<Void> confirmDenied(String target, Instant at) {
    return pool.preparedQuery(CONFIRM_DENIED)
        .execute(Tuple.of(target, Timestamps.utc(at)))
        .mapEmpty();
  }
}
