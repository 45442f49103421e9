package dev.stint.revocation;

import dev.stint.access.Grant;
import dev.stint.access.RevocationPace;
import dev.stint.common.Timestamps;
import dev.stint.ledger.Ledger;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Paces a person's revocations of their own grants from the credentials ledger: on each role the
 * grant has a session a deny must reach, the person's other revoked grants still taking room there
 * (their sessions, or those chained from them, may be alive) may number at most {@code perRole}.
 * Past that the revoke waits until the first of them frees its room: one person cannot fill a role
 * shared with others, whatever the role's capacity (about 1,200 by default, docs/clouds.md), so
 * their own revocations never widen a deny to other people's sessions. A grant with no such session
 * takes no room and is never paced.
 */
public final class OwnRevocations implements RevocationPace {
  static final String CHAINED = "interval '" + Ledger.CHAIN.toMinutes() + " minutes'";

  /**
   * Per role of the grant's deniable sessions: how many other grants of the same holder still take
   * room there, and when the first of them stops to.
   */
  public static final String THEIRS =
      "WITH roles AS (SELECT DISTINCT target, holder_issuer, holder_subject FROM credentials"
          + " WHERE grant_id = $1 AND revocable"
          + " AND state IN ('live', 'revoked') AND expires_at > $2::timestamptz - "
          + CHAINED
          + "), held AS (SELECT c.target, c.grant_id, max(greatest(c.expires_at,"
          + " least(c.ended_at, c.expires_at) + "
          + CHAINED
          + ")) AS needed FROM credentials c JOIN roles r ON c.target = r.target"
          + " AND c.holder_issuer = r.holder_issuer AND c.holder_subject = r.holder_subject"
          + " WHERE c.state = 'revoked' AND c.expires_at > $2::timestamptz - "
          + CHAINED
          + " AND c.grant_id IS NOT NULL"
          + " AND c.grant_id <> $1 GROUP BY c.target, c.grant_id)"
          + " SELECT target, count(*) AS n, min(needed) AS first_free FROM held"
          + " WHERE needed > $2 GROUP BY target ORDER BY n DESC, first_free LIMIT 1";

  private final Pool pool;
  private final int perRole;

  /**
   * @param perRole how many of one person's revoked grants may take room on one role at once
   *     ({@code access.own_revocations_per_role})
   */
  public OwnRevocations(Pool pool, int perRole) {
    this.pool = pool;
    this.perRole = perRole;
  }

  @Override
  public Future<Optional<Paced>> of(Grant grant, Instant now) {
    return pool.preparedQuery(THEIRS)
        // The holder as the ledger recorded the grant's credentials: the person they were issued
        // to.
        .execute(Tuple.of(grant.id(), Timestamps.utc(now)))
        .map(rows -> rows.size() == 0 ? Optional.empty() : paced(rows.iterator().next(), now));
  }

  private Optional<Paced> paced(Row r, Instant now) {
    long theirs = r.getLong("n");
    if (theirs < perRole) {
      return Optional.empty();
    }
    Instant free = r.getOffsetDateTime("first_free").toInstant();
    Duration wait = Duration.between(now, free);
    return Optional.of(
        new Paced(
            wait.isNegative() ? Duration.ofSeconds(1) : wait,
            "you have "
                + theirs
                + " revoked grants whose sessions may still be alive on this grant's role,"
                + " the most one person may at once: try again after "
                + free
                + " (Retry-After), when the first of them has ended. Your grant stands until"
                + " then; its credentials keep working until they expire"));
  }
}
