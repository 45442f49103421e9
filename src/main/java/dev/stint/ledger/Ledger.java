package dev.stint.ledger;

import static dev.stint.ledger.LedgerRows.READ_COLUMNS;
import static dev.stint.ledger.LedgerRows.time;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the credentials ledger and records what becomes of its credentials. Rows are written by
 * the audit log, never here (see {@link LedgerRows#INSERT_ALL}): a credential exists in the ledger
 * exactly when its {@code credential.issued} event does.
 */
public final class Ledger {
  /** More than any grant holds in practice; a page past it would need a cursor. */
  public static final int MAX_LISTED = 1000;

  public static final String OF_GRANT = "SELECT " + READ_COLUMNS + " FROM credentials"
      + " WHERE grant_id = $1 ORDER BY issued_at, id LIMIT " + MAX_LISTED;
  public static final String LATEST_EXPIRY = "SELECT max(expires_at) AS latest FROM credentials"
      + " WHERE grant_id = $1 AND state <> 'withheld'";
  public static final String REACH = "SELECT cloud, target, count(*) AS n,"
      + " max(expires_at) AS latest FROM credentials WHERE grant_id = $1"
      + " AND state <> 'withheld' AND expires_at > $2 GROUP BY cloud, target ORDER BY cloud, target";
  public static final String MARK_REVOKED = "UPDATE credentials SET state = 'revoked',"
      + " ended_at = $3 WHERE grant_id = $1 AND target = ANY($2) AND state = 'live'"
      + " AND expires_at > $3";
  /**
   * How long a session chained from one of stint's may outlive the deny: STS caps a chained
   * session at an hour, and once the deny is in place no new one can be chained.
   */
  public static final Duration CHAIN = Duration.ofHours(1);
  private static final String CHAINED = "interval '" + CHAIN.toMinutes() + " minutes'";
  /** A chained session can start no later than the deny, nor after its source expires. */
  private static final String CHAINED_FROM = "least(ended_at, expires_at)";
  public static final String REVOKED_ON = "SELECT grant_id, source_identity,"
      + " max(expires_at) AS until, max(" + CHAINED_FROM + ") AS chained_from FROM credentials"
      + " WHERE target = $1 AND state = 'revoked' AND expires_at > $2::timestamptz - " + CHAINED
      + " AND (expires_at > $2 OR " + CHAINED_FROM + " > $2::timestamptz - " + CHAINED + ")"
      + " AND issued_at >= $3 AND grant_id IS NOT NULL"
      + " GROUP BY grant_id, source_identity ORDER BY grant_id, source_identity";
  public static final String LIVE_BEFORE = "SELECT count(*) AS n,"
      + " (array_agg(DISTINCT grant_id) FILTER (WHERE grant_id IS NOT NULL))[1:" + MAX_LISTED
      + "] AS grants FROM credentials WHERE target = $1 AND state = 'live' AND expires_at > $2"
      + " AND issued_at < $3";
  public static final String REVOKED_UNTIL = "SELECT max(greatest(expires_at, " + CHAINED_FROM
      + " + " + CHAINED + ")) AS until FROM credentials WHERE target = $1 AND state = 'revoked'"
      + " AND expires_at > $2::timestamptz - " + CHAINED + " AND issued_at < $3";
  /**
   * Whatever the row said: a revocation may have marked it revoked between its commit and the
   * re-check that withholds it, and nobody ever held it either way.
   */
  public static final String WITHHOLD = "UPDATE credentials SET state = 'withheld',"
      + " ended_at = $2 WHERE id = $1";

  private final Pool pool;

  public Ledger(Pool pool) {
    this.pool = pool;
  }

  /** A grant's credentials, oldest first (at most {@link #MAX_LISTED}). */
  public Future<List<LedgerCredential>> ofGrant(String grantId) {
    return pool.preparedQuery(OF_GRANT).execute(Tuple.of(grantId)).map(rows -> {
      List<LedgerCredential> out = new ArrayList<>();
      rows.forEach(r -> out.add(LedgerRows.fromRow(r)));
      return out;
    });
  }

  /** The latest expiry among the credentials handed out on a grant (withheld ones never were). */
  public Future<Optional<Instant>> latestExpiry(String grantId) {
    return pool.preparedQuery(LATEST_EXPIRY).execute(Tuple.of(grantId))
        .map(rows -> instant(rows.iterator().next(), "latest"));
  }

  /** Where a grant's unexpired credentials are: one line per cloud and target. */
  public record Reach(String cloud, String target, int credentials, Instant latestExpiry) {}

  /** The grant's credentials handed out and not yet expired, by cloud and target. */
  public Future<List<Reach>> reach(String grantId, Instant now) {
    return pool.preparedQuery(REACH).execute(Tuple.of(grantId, time(now))).map(rows -> {
      List<Reach> out = new ArrayList<>();
      for (Row r : rows) {
        out.add(new Reach(r.getString("cloud"), r.getString("target"), r.getInteger("n"),
            r.getOffsetDateTime("latest").toInstant()));
      }
      return out;
    });
  }

  /** Marks the grant's live credentials on {@code targets} revoked; answers how many. */
  public Future<Integer> markRevoked(String grantId, List<String> targets, Instant at) {
    return pool.preparedQuery(MARK_REVOKED)
        .execute(Tuple.of(grantId, targets.toArray(String[]::new), time(at)))
        .map(rows -> rows.rowCount());
  }

  /**
   * One revoked grant's sessions on a role: its tag must stay denied while one of them is
   * unexpired ({@code sessionsUntil}), its source identity as long as a session chained from
   * one might live ({@link #CHAIN} past the revocation).
   */
  public record Revoked(String grantId, String sourceIdentity, Instant sessionsUntil,
      Instant chainedUntil) {
    /** Whether its own sessions, not only chained ones, may still be alive at {@code now}. */
    public boolean sessionsAlive(Instant now) {
      return sessionsUntil.isAfter(now);
    }
  }

  /**
   * The revoked grants with sessions on {@code target} that may still be alive at {@code now},
   * their own or chained from them, among those issued at or after {@code issuedFrom} (earlier
   * ones are covered by a cutoff).
   */
  public Future<List<Revoked>> revokedOn(String target, Instant now, Instant issuedFrom) {
    return pool.preparedQuery(REVOKED_ON)
        .execute(Tuple.of(target, time(now), time(issuedFrom))).map(rows -> {
          List<Revoked> out = new ArrayList<>();
          for (Row r : rows) {
            out.add(new Revoked(r.getString("grant_id"), r.getString("source_identity"),
                r.getOffsetDateTime("until").toInstant(),
                r.getOffsetDateTime("chained_from").toInstant().plus(CHAIN)));
          }
          return out;
        });
  }

  /** The live credentials a cutoff would cut, and the grants they were issued on. */
  public record Cut(long credentials, List<String> grants) {}

  /** The live credentials on {@code target} issued before {@code before}, still unexpired. */
  public Future<Cut> liveBefore(String target, Instant now, Instant before) {
    return pool.preparedQuery(LIVE_BEFORE)
        .execute(Tuple.of(target, time(now), time(before))).map(rows -> {
          Row r = rows.iterator().next();
          String[] grants = r.getArrayOfStrings("grants");
          return new Cut(r.getLong("n"), grants == null ? List.of() : List.of(grants));
        });
  }

  /** When the last revoked session on {@code target} issued before {@code before} expires. */
  public Future<Optional<Instant>> revokedUntil(String target, Instant now, Instant before) {
    return pool.preparedQuery(REVOKED_UNTIL)
        .execute(Tuple.of(target, time(now), time(before)))
        .map(rows -> instant(rows.iterator().next(), "until"));
  }

  /** Records that a credential was minted but never handed out. */
  public Future<Void> withhold(String credentialId, Instant at) {
    return pool.preparedQuery(WITHHOLD).execute(Tuple.of(credentialId, time(at))).mapEmpty();
  }

  private static Optional<Instant> instant(Row row, String column) {
    return Optional.ofNullable(row.getOffsetDateTime(column)).map(OffsetDateTime::toInstant);
  }
}
