package dev.stint.ledger;

import static dev.stint.ledger.Ledger.CHAINED;

import dev.stint.common.Timestamps;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a revoked grant's or lease's deny must reach, read from the credentials ledger: its
 * revocable sessions that, or whose chained sessions, may still be alive, and where their holder's
 * other revoked entries already take room on a role. {@link Ledger} marks them revoked.
 */
public final class DeniableSessions {
  /** Revocable sessions of the grant that, or whose chained sessions, may be alive. */
  public static final String DENIABLE =
      "SELECT cloud, target, revocable, count(*) AS n,"
          + " max(expires_at) AS latest FROM credentials WHERE grant_id = $1 AND revocable"
          + " AND state IN ('live', 'revoked') AND expires_at > $2::timestamptz - "
          + CHAINED
          + " GROUP BY cloud, target, revocable ORDER BY target";

  /**
   * The revoked leases' sessions that, or whose chained sessions, may be alive: what their deny
   * must reach, and nothing else of their grant.
   */
  public static final String LEASES_DENIABLE =
      "SELECT cloud, target, revocable, count(*) AS n,"
          + " max(expires_at) AS latest FROM credentials WHERE lease_id = ANY($1) AND revocable"
          + " AND state IN ('live', 'revoked') AND expires_at > $2::timestamptz - "
          + CHAINED
          + " GROUP BY cloud, target, revocable ORDER BY target";

  /**
   * Where a grant's holder has the most other revoked entries still taking room: their other
   * grants', and the grant's own revoked leases'.
   */
  public static final String HOLDERS_ROOM =
      room("grant_id = $1", "(c.grant_id <> $1 OR c.lease_id IS NOT NULL)");

  /** Where a lease's holder has the most other revoked entries still taking room. */
  public static final String LEASE_HOLDERS_ROOM =
      room("lease_id = $1", "(c.lease_id IS NULL OR c.lease_id <> $1)");

  private final Pool pool;

  public DeniableSessions(Pool pool) {
    this.pool = pool;
  }

  /**
   * The grant's revocable sessions that a deny must still reach at {@code now}: those unexpired,
   * and those expired within {@link Ledger#CHAIN} (a session chained from one may live).
   */
  public Future<List<Ledger.Reach>> ofGrant(String grantId, Instant now) {
    return Ledger.reach(pool, DENIABLE, Tuple.of(grantId, Timestamps.utc(now)));
  }

  /**
   * The sessions of the revoked leases {@code leaseIds} that a deny must still reach at {@code
   * now}, by target: their grant's other sessions are not theirs to deny.
   */
  public Future<List<Ledger.Reach>> ofLeases(List<String> leaseIds, Instant now) {
    return Ledger.reach(
        pool, LEASES_DENIABLE, Tuple.of(leaseIds.toArray(String[]::new), Timestamps.utc(now)));
  }

  /**
   * A role the holder's other revoked entries take room on: how many (a grant's sessions, or one of
   * its leases'), and when one first frees.
   */
  public record Room(String target, long entries, Instant firstFree) {}

  /**
   * Where the holder of the grant's deniable sessions has the most other revoked entries (grants,
   * and leases of grants) still taking room (the holder as the ledger recorded the grant's
   * credentials: the person they were issued to); empty when the grant has no session a deny must
   * reach.
   */
  public Future<Optional<Room>> holdersRoom(String grantId, Instant now) {
    return room(HOLDERS_ROOM, grantId, now);
  }

  /**
   * As {@link #holdersRoom}, for a task lease's deniable sessions: the entries of every revoked
   * grant and lease of its holder's but this one. Empty when the lease has no session a deny must
   * reach.
   */
  public Future<Optional<Room>> leaseHoldersRoom(String leaseId, Instant now) {
    return room(LEASE_HOLDERS_ROOM, leaseId, now);
  }

  private Future<Optional<Room>> room(String sql, String id, Instant now) {
    return pool.preparedQuery(sql)
        .execute(Tuple.of(id, Timestamps.utc(now)))
        .map(
            rows -> {
              if (rows.size() == 0) {
                return Optional.empty();
              }
              Row r = rows.iterator().next();
              return Optional.of(
                  new Room(
                      r.getString("target"),
                      r.getLong("n"),
                      r.getOffsetDateTime("first_free").toInstant()));
            });
  }

  /**
   * Where the holder of the deniable sessions {@code revoked} selects has the most revoked entries
   * still taking room, besides those {@code others} leaves out: an entry is what a role's deny
   * names one by one, a grant's sessions or one of its leases' (their source identity), as {@link
   * RoleLedger#REVOKED_ON} lists them.
   */
  private static String room(String revoked, String others) {
    return "WITH roles AS (SELECT DISTINCT target, holder_issuer, holder_subject FROM credentials"
        + " WHERE "
        + revoked
        + " AND revocable AND state IN ('live', 'revoked') AND expires_at > $2::timestamptz - "
        + CHAINED
        + "), held AS (SELECT c.target, c.grant_id, c.source_identity, max(greatest(c.expires_at,"
        + " least(c.ended_at, c.expires_at) + "
        + CHAINED
        + ")) AS needed FROM credentials c JOIN roles r ON c.target = r.target"
        + " AND c.holder_issuer = r.holder_issuer AND c.holder_subject = r.holder_subject"
        + " WHERE c.state = 'revoked' AND c.expires_at > $2::timestamptz - "
        + CHAINED
        + " AND c.grant_id IS NOT NULL AND "
        + others
        + " GROUP BY c.target, c.grant_id, c.source_identity)"
        + " SELECT target, count(*) AS n, min(needed) AS first_free FROM held"
        + " WHERE needed > $2 GROUP BY target ORDER BY n DESC, first_free LIMIT 1";
  }
}
