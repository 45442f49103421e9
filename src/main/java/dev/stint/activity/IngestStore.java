package dev.stint.activity;

import dev.stint.cloud.Cloud;
import dev.stint.ledger.Ledger;
import dev.stint.ledger.LedgerCredential;
import dev.stint.mint.ActivityLookup;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * What delivered events and role assumptions are checked against: the credentials ledger (whose
 * credential made a call, and what it recorded of it; which source identities stint issued), when
 * each pushed source last delivered ({@code activity_sources}) and from which accounts it delivered
 * data events ({@code activity_data_pushed}), and which outside assumptions and anomalies are
 * recorded ({@code activity_outside}, {@code activity_anomalies}).
 */
final class IngestStore {
  private final Pool pool;
  private final Ledger ledger;
  private final PortalAccess portals;

  IngestStore(Pool pool, Ledger ledger, PortalAccess portals) {
    this.pool = pool;
    this.ledger = ledger;
    this.portals = portals;
  }

  /**
   * A credential stint handed out for a request, with what the ledger recorded of it that a call
   * made with it must agree with ({@link PushBinding}): when it was issued and expires, the role it
   * was minted on, and the source identity its session carries.
   */
  record Owner(
      String credentialId,
      String requestId,
      Instant issuedAt,
      Instant expiresAt,
      String target,
      Optional<String> sourceIdentity) {

    static Owner of(LedgerCredential c) {
      return new Owner(
          c.entry().id(),
          c.entry().basis().requestId().orElseThrow(),
          c.issuedAt(),
          c.entry().receipt().expiresAt(),
          c.entry().receipt().target(),
          c.entry().receipt().sourceIdentity());
    }

    /** An Identity Center grant's portal access, its window the grant's, its role the set's. */
    static Owner of(PortalAccess.Portal p) {
      return new Owner(
          p.id(), p.requestId(), p.from(), p.until(), p.roleArn().orElseThrow(), Optional.empty());
    }
  }

  /**
   * The credential that made {@code call}: the one whose key signed it; failing that, the Identity
   * Center grant whose portal access it is ({@link PortalAccess#owner}). A session chained from a
   * stint session is not tied to the grant by the source identity it carries: anyone allowed to set
   * a source identity on a role can copy one, and would put their calls on someone else's grant.
   */
  Future<Optional<Owner>> owner(ActivityLookup.Call call) {
    return call.accessKeyId()
        .map(
            key ->
                ledger
                    .ofKey(Cloud.AWS.name(), key)
                    .map(
                        credentials ->
                            credentials.stream()
                                .filter(c -> c.entry().basis().requestId().isPresent())
                                .findFirst()
                                .map(Owner::of)))
        .orElse(Future.succeededFuture(Optional.empty()))
        .compose(
            minted ->
                minted.isPresent()
                    ? Future.succeededFuture(minted)
                    : portals.owner(call).map(p -> p.map(Owner::of)));
  }

  /** Whether stint handed out (or minted and withheld) the AWS session of {@code accessKeyId}. */
  Future<Boolean> minted(String accessKeyId) {
    return ledger.ofKey(Cloud.AWS.name(), accessKeyId).map(credentials -> !credentials.isEmpty());
  }

  /**
   * Claims the outside assumption {@code eventId} for recording; answers whether this call did: the
   * first to see it, or the first after a claim older than {@code staleBefore} whose record was
   * never written (its replica stopped).
   */
  Future<Boolean> outside(String eventId, Instant at, Instant staleBefore) {
    return pool.preparedQuery(
            "INSERT INTO activity_outside (event_id, recorded_at) VALUES ($1, $2)"
                + " ON CONFLICT (event_id) DO UPDATE SET recorded_at = excluded.recorded_at"
                + " WHERE activity_outside.audited_at IS NULL"
                + " AND activity_outside.recorded_at < $3 RETURNING event_id")
        .execute(Tuple.of(eventId, at(at), at(staleBefore)))
        .map(rows -> rows.rowCount() == 1);
  }

  /** The outside assumption {@code eventId} is in the audit: no one records it again. */
  Future<Void> audited(String eventId, Instant at) {
    return pool.preparedQuery("UPDATE activity_outside SET audited_at = $2 WHERE event_id = $1")
        .execute(Tuple.of(eventId, at(at)))
        .mapEmpty();
  }

  /** Undoes {@link #outside} when its audit record could not be written, so it is tried again. */
  Future<Void> notOutside(String eventId) {
    return pool.preparedQuery("DELETE FROM activity_outside WHERE event_id = $1")
        .execute(Tuple.of(eventId))
        .mapEmpty();
  }

  /**
   * Claims anomaly {@code kind} of event {@code eventId} for recording, as {@link #outside} claims
   * an outside assumption: answers whether this call did.
   */
  Future<Boolean> anomaly(String eventId, String kind, Instant at, Instant staleBefore) {
    return pool.preparedQuery(
            "INSERT INTO activity_anomalies (event_id, kind, recorded_at) VALUES ($1, $2, $3)"
                + " ON CONFLICT (event_id, kind) DO UPDATE SET recorded_at = excluded.recorded_at"
                + " WHERE activity_anomalies.audited_at IS NULL"
                + " AND activity_anomalies.recorded_at < $4 RETURNING event_id")
        .execute(Tuple.of(eventId, kind, at(at), at(staleBefore)))
        .map(rows -> rows.rowCount() == 1);
  }

  /** Anomaly {@code kind} of {@code eventId} is in the audit: no one records it again. */
  Future<Void> anomalyAudited(String eventId, String kind, Instant at) {
    return pool.preparedQuery(
            "UPDATE activity_anomalies SET audited_at = $3 WHERE event_id = $1 AND kind = $2")
        .execute(Tuple.of(eventId, kind, at(at)))
        .mapEmpty();
  }

  /** Undoes {@link #anomaly} when its audit record could not be written, so it is tried again. */
  Future<Void> notAnomaly(String eventId, String kind) {
    return pool.preparedQuery("DELETE FROM activity_anomalies WHERE event_id = $1 AND kind = $2")
        .execute(Tuple.of(eventId, kind))
        .mapEmpty();
  }

  /** {@code source} delivered an event at {@code at}; an earlier time never overwrites it. */
  Future<Void> received(String source, Instant at) {
    return pool.preparedQuery(
            "INSERT INTO activity_sources (name, received_at) VALUES ($1, $2)"
                + " ON CONFLICT (name) DO UPDATE SET received_at = excluded.received_at"
                + " WHERE activity_sources.received_at < excluded.received_at")
        .execute(Tuple.of(source, at(at)))
        .mapEmpty();
  }

  /**
   * The push delivered a data event from {@code account} at {@code at}: from then on that account's
   * data events count as seen ({@link Visibility}). An earlier time never overwrites the last.
   */
  Future<Void> dataPushed(String account, Instant at) {
    return pool.preparedQuery(
            "INSERT INTO activity_data_pushed (account, first_at, last_at) VALUES ($1, $2, $2)"
                + " ON CONFLICT (account) DO UPDATE SET last_at = excluded.last_at"
                + " WHERE activity_data_pushed.last_at < excluded.last_at")
        .execute(Tuple.of(account, at(at)))
        .mapEmpty();
  }

  /** When {@code source} last delivered an event; empty if it never did. */
  Future<Optional<Instant>> receivedAt(String source) {
    return pool.preparedQuery("SELECT received_at FROM activity_sources WHERE name = $1")
        .execute(Tuple.of(source))
        .map(
            rows ->
                rows.size() == 0
                    ? Optional.<Instant>empty()
                    : Optional.of(rows.iterator().next().getOffsetDateTime(0).toInstant()));
  }

  private static OffsetDateTime at(Instant i) {
    return OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
  }
}
