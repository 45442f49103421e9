package dev.stint.ledger;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * When each person last had a credential of a profile handed out, from the ledger (withheld ones
 * never left, so they do not count): an access review's evidence of use, one query for everyone.
 */
public final class MintHistory {
  static final String LAST_MINTED =
      "SELECT holder_issuer, holder_subject, max(issued_at) AS last FROM credentials"
          + " WHERE profile = $1 AND state <> 'withheld' GROUP BY holder_issuer, holder_subject";

  /** A holder as the ledger names them: the issuer URL and subject. */
  public record Holder(String issuer, String subject) {}

  private final Pool pool;

  public MintHistory(Pool pool) {
    this.pool = pool;
  }

  /** Each holder of a credential of {@code profile}, and when the latest was handed out. */
  public Future<Map<Holder, Instant>> lastMinted(String profile) {
    return pool.preparedQuery(LAST_MINTED)
        .execute(Tuple.of(profile))
        .map(
            rows -> {
              Map<Holder, Instant> out = new HashMap<>();
              for (Row r : rows) {
                out.put(
                    new Holder(r.getString("holder_issuer"), r.getString("holder_subject")),
                    r.getOffsetDateTime("last").toInstant());
              }
              return out;
            });
  }
}
