package dev.stint.activity;

import dev.stint.audit.AuditReader;
import dev.stint.ledger.Ledger;
import dev.stint.ledger.LedgerCredential;
import dev.stint.mint.ActivityLookup;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The activity tables: which credentials are due a lookup ({@code activity_lookups}, filled by a
 * trigger on the credentials ledger), the calls found ({@code activity_events}, once each by the
 * log's own id) and the requests whose activity is settled ({@code activity_settled}).
 */
final class ActivityStore {
  /** Over the request's own rows (see UnusedGrants.QUERY for why not in the WHERE). */
  static final String UNSETTLED =
      "SELECT count(*) FILTER (WHERE settled_at IS NULL) > 0 FROM activity_lookups"
          + " WHERE request_id = $1";

  /**
   * The ledger's rows of the request's grant, withheld ones not counted, as the report of grants
   * never used counts them ({@link UnusedGrants#QUERY}): the grant's usage row and the tallies not
   * folded into it yet, which the triggers on the ledger add in the transaction of each change.
   */
  static final String ISSUED =
      "SELECT COALESCE((SELECT credentials FROM grant_usage WHERE request_id = $1), 0)"
          + " + COALESCE((SELECT sum(credentials) FROM grant_usage_tally WHERE request_id = $1), 0)";

  private final Pool pool;
  private final Ledger ledger;
  private final PortalAccess portals;
  private final ActivityReads reads;
  private volatile Runnable kept = () -> {};

  ActivityStore(Pool pool, Ledger ledger, PortalAccess portals, Visibility.Push push) {
    this.pool = pool;
    this.ledger = ledger;
    this.portals = portals;
    this.reads = new ActivityReads(pool, push);
  }

  /** The Identity Center grants' portal accesses, which stand where credentials stand here. */
  PortalAccess portals() {
    return portals;
  }

  /** The calls kept and how far their lookups have come, as they are read. */
  ActivityReads reads() {
    return reads;
  }

  /**
   * A credential due a lookup: its key, what it was minted on (whose account's logs hold its
   * calls), when it was issued, when it ends (its expiry, or its revocation when earlier), when it
   * was last looked up; for an Identity Center grant's portal access, that access ({@code
   * accessKeyId} its user name, {@code target} its provisioned role once found, its end the
   * grant's).
   */
  record Due(
      String credentialId,
      String requestId,
      String cloud,
      String accessKeyId,
      String target,
      Instant issuedAt,
      Instant endsAt,
      Optional<Instant> checkedAt,
      Optional<PortalAccess.Portal> portal) {}

  /**
   * Takes up to {@code limit} credentials due at {@code now}, each for one replica only ({@code
   * SKIP LOCKED}), and holds them until {@code leaseUntil}: a replica that dies mid-lookup leaves
   * them due again then, never dropped.
   */
  Future<List<Due>> claim(Instant now, Instant leaseUntil, int limit) {
    return pool.preparedQuery(
            "UPDATE activity_lookups l SET next_at = $2 WHERE l.credential_id IN ("
                + "SELECT credential_id FROM activity_lookups WHERE settled_at IS NULL"
                + " AND next_at <= $1 ORDER BY next_at LIMIT $3 FOR UPDATE SKIP LOCKED)"
                + " RETURNING l.credential_id, l.request_id, l.cloud, l.access_key_id,"
                + " l.issued_at, l.checked_at")
        .execute(Tuple.of(at(now), at(leaseUntil), limit))
        .compose(
            rows -> {
              List<Row> claimed = new ArrayList<>();
              rows.forEach(claimed::add);
              if (claimed.isEmpty()) {
                return Future.succeededFuture(List.<Due>of());
              }
              List<String> ids = claimed.stream().map(r -> r.getString("credential_id")).toList();
              return ledger
                  .some(ids)
                  .compose(
                      credentials ->
                          portals.some(ids).map(portal -> due(claimed, credentials, portal)));
            });
  }

  /**
   * Each claimed lookup with its ledger row's target and end, or its portal access; a row deleted
   * since is skipped.
   */
  private static List<Due> due(
      List<Row> claimed,
      List<LedgerCredential> credentials,
      Map<String, PortalAccess.Portal> portals) {
    Map<String, LedgerCredential> byId =
        credentials.stream().collect(Collectors.toMap(c -> c.entry().id(), c -> c));
    List<Due> out = new ArrayList<>();
    for (Row r : claimed) {
      LedgerCredential c = byId.get(r.getString("credential_id"));
      PortalAccess.Portal portal = portals.get(r.getString("credential_id"));
      if (portal != null) {
        out.add(
            new Due(
                portal.id(),
                portal.requestId(),
                r.getString("cloud"),
                portal.userName(),
                portal.roleArn().orElse(""),
                instant(r, "issued_at"),
                portal.until(),
                Optional.ofNullable(r.getOffsetDateTime("checked_at"))
                    .map(OffsetDateTime::toInstant),
                Optional.of(portal)));
        continue;
      }
      if (c == null) {
        continue;
      }
      Instant expires = c.entry().receipt().expiresAt();
      out.add(
          new Due(
              r.getString("credential_id"),
              r.getString("request_id"),
              r.getString("cloud"),
              r.getString("access_key_id"),
              c.entry().receipt().target(),
              instant(r, "issued_at"),
              c.ended().filter(ended -> ended.isBefore(expires)).orElse(expires),
              Optional.ofNullable(r.getOffsetDateTime("checked_at")).map(OffsetDateTime::toInstant),
              Optional.empty()));
    }
    return out;
  }

  /**
   * Keeps each call, made with {@code credentialId} of {@code requestId}, once: a call already kept
   * (read again, or by another source) is skipped. Answers the calls whose event id was kept before
   * with other content ({@link KeptConflicts}): the first copy stays, and the caller tells of them.
   */
  Future<List<KeptConflicts.Conflict>> keep(
      String credentialId, String requestId, List<ActivityLookup.Call> calls) {
    if (calls.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    List<Tuple> batch = new ArrayList<>();
    for (ActivityLookup.Call c : inLockOrder(calls)) {
      batch.add(
          Tuple.tuple()
              .addString(c.id())
              .addString(credentialId)
              .addString(requestId)
              .addOffsetDateTime(at(c.time()))
              .addString(c.source())
              .addString(c.name())
              .addString(c.region())
              .addString(c.sourceIp().orElse(null))
              .addString(c.errorCode().orElse(null))
              .addString(c.accessKeyId().orElse(null))
              .addString(c.parameters().namedRole().orElse(null))
              .addBoolean(c.parameters().withDecryption())
              .addString(c.parameters().resource().orElse(null)));
    }
    return pool.preparedQuery(KEEP)
        .executeBatch(batch)
        .onSuccess(x -> kept.run())
        .compose(x -> KeptConflicts.of(pool, credentialId, requestId, calls));
  }

  /**
   * The calls in the order of the rows their keep locks: the per-profile count's (V56's trigger
   * fires for each call of the batch, which is one transaction, and a credential's calls are all
   * its profile's) then the call's id. Two keeps of one profile, or of one call (a lookup and a
   * push), then take their locks in one order and never wait for each other in a cycle.
   */
  static List<ActivityLookup.Call> inLockOrder(List<ActivityLookup.Call> calls) {
    return calls.stream()
        .sorted(
            Comparator.comparing(
                    (ActivityLookup.Call c) -> c.time().atOffset(ZoneOffset.UTC).toLocalDate())
                .thenComparing(ActivityLookup.Call::source)
                .thenComparing(ActivityLookup.Call::name)
                .thenComparing(c -> c.parameters().resource().orElse("*"))
                .thenComparing(ActivityLookup.Call::id))
        .toList();
  }

  /**
   * A call once by its id, with what its request's parameters said (V49) and the resource it acted
   * on (V56, whose trigger counts it for its profile in this statement's transaction).
   */
  static final String KEEP =
      "INSERT INTO activity_events (event_id, credential_id, request_id, at, source, name,"
          + " region, source_ip, error_code, access_key_id, named_role, with_decryption, resource)"
          + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"
          + " ON CONFLICT (event_id) DO NOTHING";

  /** Told after each keep commits (what reads calls as they are kept: {@link #afterKeep}). */
  void afterKeep(Runnable poke) {
    this.kept = poke;
  }

  /** A lookup that covered every place: next due at {@code next}, or settled when empty. */
  Future<Void> checked(String credentialId, Instant at, Optional<Instant> next) {
    return pool.preparedQuery(
            "UPDATE activity_lookups SET checked_at = $2, failures = 0,"
                + " next_at = COALESCE($3, next_at), settled_at = CASE WHEN $3 IS NULL THEN $2"
                + " END WHERE credential_id = $1")
        .execute(Tuple.of(credentialId, at(at), next.map(ActivityStore::at).orElse(null)))
        .mapEmpty();
  }

  /** A lookup that failed: due again at {@code next}, with the failure counted. */
  Future<Void> failed(String credentialId, Instant next) {
    return pool.preparedQuery(
            "UPDATE activity_lookups SET failures = failures + 1, next_at = $2"
                + " WHERE credential_id = $1")
        .execute(Tuple.of(credentialId, at(next)))
        .mapEmpty();
  }

  /** Whether any credential of {@code requestId} still awaits its last lookup. */
  Future<Boolean> unsettled(String requestId) {
    return pool.preparedQuery(UNSETTLED)
        .execute(Tuple.of(requestId))
        .map(rows -> rows.iterator().next().getBoolean(0));
  }

  /** {@code requestId}'s credentials have all settled: its summary is due from {@code at}. */
  Future<Void> await(String requestId, Instant at) {
    return pool.preparedQuery(
            "INSERT INTO activity_awaiting (request_id, due_at) SELECT $1, $2"
                + " WHERE NOT EXISTS (SELECT 1 FROM activity_settled WHERE request_id = $1)"
                + " ON CONFLICT (request_id) DO UPDATE SET due_at = LEAST("
                + "activity_awaiting.due_at, excluded.due_at)")
        .execute(Tuple.of(requestId, at(at)))
        .mapEmpty();
  }

  /**
   * Takes up to {@code limit} requests whose summary is due at {@code now}, one replica each, held
   * until {@code leaseUntil}.
   */
  Future<List<String>> claimAwaiting(Instant now, Instant leaseUntil, int limit) {
    return pool.preparedQuery(
            "UPDATE activity_awaiting SET due_at = $2 WHERE request_id IN ("
                + "SELECT request_id FROM activity_awaiting WHERE due_at <= $1 ORDER BY due_at"
                + " LIMIT $3 FOR UPDATE SKIP LOCKED) RETURNING request_id")
        .execute(Tuple.of(at(now), at(leaseUntil), limit))
        .map(
            rows -> {
              List<String> out = new ArrayList<>();
              rows.forEach(r -> out.add(r.getString("request_id")));
              return out;
            });
  }

  /** Looks at {@code requestId} again at {@code at} (its grant's end, or after a failure). */
  Future<Void> awaitUntil(String requestId, Instant at) {
    return pool.preparedQuery("UPDATE activity_awaiting SET due_at = $2 WHERE request_id = $1")
        .execute(Tuple.of(requestId, at(at)))
        .mapEmpty();
  }

  /** Nothing more to await for {@code requestId}: recorded, or a credential is live again. */
  Future<Void> awaited(String requestId) {
    return pool.preparedQuery("DELETE FROM activity_awaiting WHERE request_id = $1")
        .execute(Tuple.of(requestId))
        .mapEmpty();
  }

  /**
   * Whether {@code grant.activity} is already in the audit for {@code requestId}: a write that
   * committed while its caller saw a failure, or a replica stopped right after it, is not repeated.
   */
  Future<Boolean> recorded(String requestId) {
    return AuditReader.recorded(pool, requestId, "grant.activity");
  }

  /** What the credentials one task lease minted on a request were used for, and could be seen. */
  record LeaseUse(String leaseId, ActivitySummary summary, Visibility visibility) {}

  /**
   * The use of each task lease that minted on {@code requestId} a credential the cloud's logs can
   * be asked about (the ledger names each credential's lease), by lease id.
   */
  Future<List<LeaseUse>> leaseUse(String requestId) {
    return pool.preparedQuery("SELECT credential_id FROM activity_lookups WHERE request_id = $1")
        .execute(Tuple.of(requestId))
        .compose(
            rows -> {
              List<String> ids = new ArrayList<>();
              rows.forEach(r -> ids.add(r.getString("credential_id")));
              return ids.isEmpty() ? Future.succeededFuture(List.of()) : ledger.some(ids);
            })
        .compose(
            minted -> {
              Map<String, List<String>> byLease = new TreeMap<>();
              for (LedgerCredential c : minted) {
                c.entry()
                    .basis()
                    .leaseId()
                    .ifPresent(
                        l ->
                            byLease.computeIfAbsent(l, k -> new ArrayList<>()).add(c.entry().id()));
              }
              List<Future<LeaseUse>> each = new ArrayList<>();
              byLease.forEach(
                  (lease, ids) -> {
                    ActivityReads.Scope scope =
                        new ActivityReads.Scope(requestId, Optional.of(ids));
                    each.add(
                        reads
                            .summary(scope)
                            .compose(
                                s -> reads.visibility(scope).map(v -> new LeaseUse(lease, s, v))));
                  });
              return Future.all(each).map(x -> each.stream().map(Future::result).toList());
            });
  }

  /** Whether {@code lease.activity} of {@code leaseId} is already in the audit. */
  Future<Boolean> leaseRecorded(String requestId, String leaseId) {
    return AuditReader.recorded(pool, requestId, "lease.activity", Map.entry("lease_id", leaseId));
  }

  /** Marks {@code requestId} settled and no longer awaited. */
  Future<Void> settled(String requestId, Instant at) {
    return pool.withTransaction(
            c ->
                c.preparedQuery(
                        "INSERT INTO activity_settled (request_id, settled_at) VALUES ($1, $2)"
                            + " ON CONFLICT (request_id) DO NOTHING")
                    .execute(Tuple.of(requestId, at(at)))
                    .compose(
                        x ->
                            c.preparedQuery("DELETE FROM activity_awaiting WHERE request_id = $1")
                                .execute(Tuple.of(requestId))))
        .mapEmpty();
  }

  /** The request's calls in all: counts, errors, calls per service, first and last. */
  Future<ActivitySummary> summary(String requestId) {
    return reads.summary(ActivityReads.Scope.of(requestId));
  }

  /**
   * How many credentials the request's grant handed out, withheld ones not counted: with those that
   * cannot be looked up, as the ledger holds them.
   */
  Future<Long> issued(String requestId) {
    return pool.preparedQuery(ISSUED)
        .execute(Tuple.of(requestId))
        .map(rows -> rows.iterator().next().getLong(0));
  }

  private static Instant instant(Row r, String column) {
    return r.getOffsetDateTime(column).toInstant();
  }

  private static OffsetDateTime at(Instant i) {
    return OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
  }
}
