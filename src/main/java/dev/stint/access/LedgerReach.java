package dev.stint.access;

import dev.stint.ledger.Ledger;
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
   * What revoking {@code grant} at {@code now} reaches; {@code unknown} when the ledger cannot be
   * read (the revoke stands, and its revocation reads it again).
   */
  public Future<RevocationReach> of(Grant grant, Instant now) {
    Future<List<Ledger.Reach>> live = ledger.reach(grant.id(), now);
    Future<Optional<Instant>> latest = ledger.latestExpiry(grant.id());
    return Future.all(live, latest)
        .map(x -> new RevocationReach(live.result(), grant.endsAt(), latest.result()))
        .recover(
            e -> {
              LOG.warn(
                  "reading the credentials of grant {} from the ledger failed: {}",
                  grant.id(),
                  e.toString());
              return Future.succeededFuture(RevocationReach.unknown(grant.endsAt()));
            });
  }
}
