package dev.stint.ledger;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What revoking a grant reaches, read from the credentials ledger ({@link RevocationReach} is the
 * pure answer): for a revoke's event and answer, and for the revocation's status page.
 */
public final class LedgerReach {
  private static final Logger LOG = LoggerFactory.getLogger(LedgerReach.class);
  private final Ledger ledger;

  public LedgerReach(Ledger ledger) {
    this.ledger = ledger;
  }

  /**
   * What revoking grant {@code grantId}, which ends at {@code grantEnds}, at {@code now} reaches;
   * {@code unknown} when the ledger cannot be read (the revoke stands, and its revocation reads it
   * again).
   */
  public Future<RevocationReach> of(String grantId, Instant grantEnds, Instant now) {
    Future<List<Ledger.Reach>> live = ledger.reach(grantId, now);
    Future<Optional<Instant>> latest = ledger.latestExpiry(grantId);
    return Future.all(live, latest)
        .map(x -> new RevocationReach(live.result(), grantEnds, latest.result()))
        .recover(
            e -> {
              LOG.warn(
                  "reading the credentials of grant {} from the ledger failed: {}",
                  grantId,
                  e.toString());
              return Future.succeededFuture(RevocationReach.unknown(grantEnds));
            });
  }
}
