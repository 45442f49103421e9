package dev.stint.ledger;

import static dev.stint.ledger.LedgerRows.READ_COLUMNS;

import dev.stint.common.Timestamps;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the credentials ledger by grant and records what becomes of a grant's credentials. Rows are
 * written by the audit log, never here (see {@link LedgerRows#INSERT_ALL}): a credential exists in
 * the ledger exactly when its {@code credential.issued} event does. What a role's deny must name is
 * {@link RoleLedger}'s.
 */
public final class Ledger {
  /** More than any grant holds in practice; a page past it would need a cursor. */
  public static final int MAX_LISTED = 1000;

  /**
   * How long a session chained from one of stint's may outlive it: STS caps a chained session at an
   * hour, and none can be chained from a session once it has expired or is denied.
   */
  public static final Duration CHAIN = Duration.ofHours(1);

  static final String CHAINED = "interval '" + CHAIN.toMinutes() + " minutes'";

  public static final String OF_GRANT =
      "SELECT "
          + READ_COLUMNS
          + " FROM credentials"
          + " WHERE grant_id = $1 ORDER BY issued_at, id LIMIT "
          + MAX_LISTED;
  public static final String ONE = "SELECT " + READ_COLUMNS + " FROM credentials WHERE id = $1";
  public static final String SOME =
      "SELECT " + READ_COLUMNS + " FROM credentials WHERE id = ANY($1)";
  public static final String OF_KEY =
      "SELECT "
          + READ_COLUMNS
          + " FROM credentials WHERE access_key_id = $1 AND cloud = $2"
          + " ORDER BY issued_at, id LIMIT "
          + MAX_LISTED;
  public static final String LATEST_EXPIRY =
      "SELECT max(expires_at) AS latest FROM credentials"
          + " WHERE grant_id = $1 AND state <> 'withheld'";
  public static final String REACH =
      "SELECT cloud, target, revocable, count(*) AS n,"
          + " max(expires_at) AS latest FROM credentials WHERE grant_id = $1"
          + " AND state <> 'withheld' AND expires_at > $2"
          + " GROUP BY cloud, target, revocable ORDER BY cloud, target";

  public static final String MARK_REVOKED =
      "UPDATE credentials SET state = 'revoked'"
          + " WHERE grant_id = $1 AND revocable AND state = 'live'"
          + " AND expires_at > $2::timestamptz - "
          + CHAINED;

  /** A lease's sessions that a deny must reach, as {@link #MARK_REVOKED} marks a grant's. */
  public static final String MARK_LEASE_REVOKED =
      "UPDATE credentials SET state = 'revoked'"
          + " WHERE lease_id = $1 AND revocable AND state = 'live'"
          + " AND expires_at > $2::timestamptz - "
          + CHAINED;

  public static final String OF_LEASE =
      "SELECT "
          + READ_COLUMNS
          + " FROM credentials"
          + " WHERE lease_id = $1 ORDER BY issued_at, id LIMIT "
          + MAX_LISTED;

  /**
   * Whatever the row said: a revocation may have marked it revoked between its commit and the
   * re-check that withholds it, and nobody ever held it either way.
   */
  public static final String WITHHOLD =
      "UPDATE credentials SET state = 'withheld'," + " ended_at = $2 WHERE id = $1";

  private final Pool pool;

  public Ledger(Pool pool) {
    this.pool = pool;
  }

  /** A grant's credentials, oldest first (at most {@link #MAX_LISTED}). */
  public Future<List<LedgerCredential>> ofGrant(String grantId) {
    return list(OF_GRANT, Tuple.of(grantId));
  }

  /** One credential, by its id. */
  public Future<Optional<LedgerCredential>> one(String credentialId) {
    return pool.preparedQuery(ONE)
        .execute(Tuple.of(credentialId))
        .map(
            rows ->
                rows.size() == 0
                    ? Optional.empty()
                    : Optional.of(LedgerRows.fromRow(rows.iterator().next())));
  }

  /** The credentials of {@code credentialIds} that are in the ledger, in no particular order. */
  public Future<List<LedgerCredential>> some(List<String> credentialIds) {
    return some(pool, credentialIds);
  }

  /**
   * As {@link #some(List)}, on {@code client}: inside a caller's transaction, which then needs no
   * second connection of the pool while it holds its own.
   */
  public static Future<List<LedgerCredential>> some(SqlClient client, List<String> credentialIds) {
    return list(client, SOME, Tuple.of(credentialIds.toArray(String[]::new)));
  }

  /**
   * The credentials {@code cloud} minted with the access key {@code accessKeyId}, oldest first: the
   * key a call in the cloud's log was signed with names the credential that made it.
   */
  public Future<List<LedgerCredential>> ofKey(String cloud, String accessKeyId) {
    return list(OF_KEY, Tuple.of(accessKeyId, cloud));
  }

  /** The latest expiry among the credentials handed out on a grant (withheld ones never were). */
  public Future<Optional<Instant>> latestExpiry(String grantId) {
    return pool.preparedQuery(LATEST_EXPIRY)
        .execute(Tuple.of(grantId))
        .map(rows -> instant(rows.iterator().next(), "latest"));
  }

  /**
   * Where a grant's credentials are: one line per cloud and target, and whether the cloud can end
   * them before they expire (as the cloud that minted them said).
   */
  public record Reach(
      String cloud, String target, boolean revocable, int credentials, Instant latestExpiry) {}

  /** The grant's credentials handed out and not yet expired, by cloud and target. */
  public Future<List<Reach>> reach(String grantId, Instant now) {
    return reach(pool, REACH, Tuple.of(grantId, Timestamps.utc(now)));
  }

  /**
   * Marks the grant's revocable sessions that a deny must reach as revoked, on {@code client} (the
   * revoke's own transaction, or the pool); answers how many it marked.
   */
  public static Future<Integer> markRevoked(SqlClient client, String grantId, Instant now) {
    return client
        .preparedQuery(MARK_REVOKED)
        .execute(Tuple.of(grantId, Timestamps.utc(now)))
        .map(rows -> rows.rowCount());
  }

  /** As {@link #markRevoked(SqlClient, String, Instant)}, on this ledger's pool. */
  public Future<Integer> markRevoked(String grantId, Instant now) {
    return markRevoked(pool, grantId, now);
  }

  /**
   * Marks a lease's revocable sessions that a deny must reach as revoked, on {@code client} (the
   * lease's revoke's own transaction); its grant's other sessions stay as they are.
   */
  public static Future<Integer> markLeaseRevoked(SqlClient client, String leaseId, Instant now) {
    return client
        .preparedQuery(MARK_LEASE_REVOKED)
        .execute(Tuple.of(leaseId, Timestamps.utc(now)))
        .map(rows -> rows.rowCount());
  }

  /** A lease's credentials, oldest first (at most {@link #MAX_LISTED}). */
  public Future<List<LedgerCredential>> ofLease(String leaseId) {
    return list(OF_LEASE, Tuple.of(leaseId));
  }

  /** Records that a credential was minted but never handed out. */
  public Future<Void> withhold(String credentialId, Instant at) {
    return pool.preparedQuery(WITHHOLD)
        .execute(Tuple.of(credentialId, Timestamps.utc(at)))
        .mapEmpty();
  }

  private Future<List<LedgerCredential>> list(String sql, Tuple args) {
    return list(pool, sql, args);
  }

  private static Future<List<LedgerCredential>> list(SqlClient client, String sql, Tuple args) {
    return client
        .preparedQuery(sql)
        .execute(args)
        .map(
            rows -> {
              List<LedgerCredential> out = new ArrayList<>();
              rows.forEach(r -> out.add(LedgerRows.fromRow(r)));
              return out;
            });
  }

  static Future<List<Reach>> reach(SqlClient client, String sql, Tuple args) {
    return client
        .preparedQuery(sql)
        .execute(args)
        .map(
            rows -> {
              List<Reach> out = new ArrayList<>();
              for (Row r : rows) {
                out.add(
                    new Reach(
                        r.getString("cloud"),
                        r.getString("target"),
                        r.getBoolean("revocable"),
                        r.getInteger("n"),
                        r.getOffsetDateTime("latest").toInstant()));
              }
              return out;
            });
  }

  static Optional<Instant> instant(Row row, String column) {
    return Optional.ofNullable(row.getOffsetDateTime(column)).map(OffsetDateTime::toInstant);
  }
}
