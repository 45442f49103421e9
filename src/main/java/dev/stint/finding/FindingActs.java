package dev.stint.finding;

import dev.stint.audit.AuditReader;
import dev.stint.outbox.DurableListener;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What follows a raised finding, delivered from the outbox after the transaction that raised it (at
 * least once, by whichever replica claims it; each step done once however often delivered):
 *
 * <ol>
 *   <li>{@code finding.raised} in the audit, with the finding's fields, unless it is there already;
 *   <li>a live finding's action, as it was recorded: {@code lease_ended} ends the lease and {@code
 *       grant_revoked} revokes the grant, through {@link FindingEnds}; {@code notified} is told by
 *       the notice receivers' own outbox rows, written in the same transaction; a dry run's {@code
 *       none} does nothing;
 *   <li>{@code finding.acted} with what was done, unless it is there already, and the finding
 *       marked acted.
 * </ol>
 */
final class FindingActs implements DurableListener<FindingChange> {
  static final String NAME = "finding.act";
  private static final Logger LOG = LoggerFactory.getLogger(FindingActs.class);

  private final Pool pool;
  private final FindingStore store;
  private final FindingAudit audit;
  private final FindingEnds ends;
  private final Supplier<List<String>> receivers;
  private final Clock clock;

  /** {@code receivers}: the names of the notice receivers a live finding is told through. */
  FindingActs(
      Pool pool,
      FindingAudit audit,
      FindingEnds ends,
      Supplier<List<String>> receivers,
      Clock clock) {
    this.pool = pool;
    this.store = new FindingStore(pool);
    this.audit = audit;
    this.ends = ends;
    this.receivers = receivers;
    this.clock = clock;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean wants(FindingChange change) {
    return true;
  }

  @Override
  public boolean audits() {
    return true;
  }

  @Override
  public Future<Void> deliver(FindingChange change, Delivery delivery) {
    Finding f = change.finding();
    // 1.
    return once(f, FindingAudit.RAISED, () -> audit.raised(f))
        // 2. and 3.
        .compose(x -> f.actedAt().isPresent() ? Future.succeededFuture() : act(f));
  }

  private Future<Void> act(Finding f) {
    return switch (f.action()) {
      case NONE -> Future.succeededFuture();
      case NOTIFIED -> {
        List<String> to = receivers.get();
        yield acted(
            f,
            to.isEmpty()
                ? "notify: no notice receiver is configured; the finding is in the API and audit"
                : "notify: told through " + String.join(", ", to),
            Map.of("receivers", to));
      }
      case LEASE_ENDED -> {
        String lease = f.origin().leaseId().orElseThrow();
        yield ends.endLease(lease, f)
            .compose(
                o ->
                    acted(
                        f,
                        o == FindingEnds.Outcome.ENDED
                            ? "end: lease " + lease + " revoked; its sessions are denied"
                            : "end: lease " + lease + " had already ended",
                        Map.of("outcome", o.name().toLowerCase(Locale.ROOT))));
      }
      case GRANT_REVOKED -> {
        String request = f.origin().requestId();
        yield ends.revokeGrant(request, f)
            .compose(
                o ->
                    acted(
                        f,
                        o == FindingEnds.Outcome.ENDED
                            ? "end: the grant of " + request + " revoked; its sessions are denied"
                            : "end: the grant of " + request + " had already ended",
                        Map.of("outcome", o.name().toLowerCase(Locale.ROOT))));
      }
    };
  }

  private Future<Void> acted(Finding f, String what, Map<String, Object> details) {
    return once(f, FindingAudit.ACTED, () -> audit.acted(f, what, details))
        .compose(x -> store.acted(f.id(), clock.instant()))
        .mapEmpty();
  }

  /** Appends {@code type} for {@code f} unless a delivery before this one did. */
  private Future<Void> once(Finding f, String type, Supplier<Future<Void>> append) {
    return AuditReader.recorded(pool, f.origin().requestId(), type, Map.entry("finding_id", f.id()))
        .compose(done -> done ? Future.succeededFuture() : append.get());
  }

  @Override
  public Future<Void> failed(FindingChange change, Delivery delivery, String why, boolean last) {
    Finding f = change.finding();
    LOG.warn(
        "finding {} ({}): attempt {} failed: {}", f.id(), f.rule().id(), delivery.attempt(), why);
    if (!last) {
      return Future.succeededFuture();
    }
    return audit.failed(f, why);
  }
}
