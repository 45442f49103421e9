package dev.stint.activity;

import dev.stint.audit.AuditLog;
import dev.stint.mint.ActivityLookup;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Looks up what each credential did, on every replica, each round taking the credentials due (one
 * replica each): every {@code lookup_every} while the credential lives, then once {@code settle}
 * after its end, the cloud's records arriving late. A failed lookup is due again a round later: no
 * credential is dropped. Every grant awaits its summary ({@code activity_awaiting}) from its
 * approval, due at its end (V38's trigger on the grants), so one that handed out nothing the logs
 * can be asked about is summed up too; it is recorded in the audit ({@code grant.activity}) once
 * the grant has ended and every credential of it has settled (a credential's last lookup puts the
 * request back), however long after its credentials that is, and only if it is not there already.
 */
public final class ActivityRounds implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ActivityRounds.class);

  /** How often a replica looks for credentials due; a lookup's own pace is the cloud's. */
  static final Duration TICK = Duration.ofSeconds(5);

  /** How long a claimed credential is held: past it, a dead replica's claim lapses. */
  static final Duration LEASE = Duration.ofMinutes(5);

  /** Usage tallies folded a round at most: far more than a round's issuances add. */
  static final int FOLD = 10_000;

  /** How soon a summary that could not be recorded is tried again. */
  static final Duration RETRY = Duration.ofMinutes(1);

  /** Credentials taken per round and replica. */
  static final int BATCH = 20;

  /** How far before a lookup's last one the next starts again: records arrive late. */
  static final Duration SKEW = Duration.ofMinutes(5);

  /** When a lookup's window is and how often it repeats. */
  public record Settings(Duration lookupEvery, Duration settle) {}

  /**
   * Beyond their store: when each grant ends, the audit that records {@code grant.activity}, the
   * watch on the roles assumed in the calls found, and what records a call found with other content
   * than the copy kept before (one pushed first under its id).
   */
  public record Needs(
      GrantEnds grants, AuditLog audit, RoleWatch roles, ActivityAnomalies anomalies) {}

  private final Vertx vertx;
  private final ActivityStore store;
  private final UsageFold usage;
  private final Map<String, ActivityLookup> clouds;
  private final Settings settings;
  private final GrantEnds grants;
  private final AuditLog audit;
  private final RoleWatch roles;
  private final ActivityAnomalies anomalies;
  private final Clock clock;
  private long timer = -1;
  private boolean running;

  public ActivityRounds(
      Vertx vertx,
      GrantActivity view,
      Map<String, ActivityLookup> clouds,
      Settings settings,
      Needs needs,
      Clock clock) {
    this.vertx = vertx;
    this.store = view.store();
    this.usage = view.usage();
    this.clouds = new TreeMap<>(clouds);
    this.settings = settings;
    this.grants = needs.grants();
    this.audit = needs.audit();
    this.roles = needs.roles();
    this.anomalies = needs.anomalies();
    this.clock = clock;
  }

  public void start() {
    timer = vertx.setPeriodic(TICK.toMillis(), id -> tick());
  }

  private void tick() {
    if (running) {
      return;
    }
    running = true;
    round()
        .onComplete(
            ar -> {
              running = false;
              if (ar.failed()) {
                LOG.warn("activity round failed: {}", ar.cause().toString());
              }
            });
  }

  /**
   * One round: the credentials due now, one after another, then the requests whose summary is due;
   * answers how many credentials were looked up.
   */
  public Future<Integer> round() {
    Instant now = clock.instant();
    return store
        .claim(now, now.plus(LEASE), BATCH)
        .compose(
            due -> {
              Future<Integer> done = Future.succeededFuture(0);
              for (ActivityStore.Due d : due) {
                done = done.compose(n -> lookUp(d, now).map(n + 1));
              }
              return done;
            })
        // Dated from now, not from the round's start: the lookups before may have taken longer
        // than a lease, and a claim already lapsed would let another replica sum the same up.
        .compose(n -> summaries(clock.instant()).map(n))
        .compose(n -> usage.fold(FOLD).map(n));
  }

  /** The requests whose summary is due, each recorded once its grant has ended. */
  private Future<Void> summaries(Instant now) {
    return store
        .claimAwaiting(now, now.plus(LEASE), BATCH)
        .compose(
            due -> {
              Future<Void> done = succeeded();
              for (String requestId : due) {
                done = done.compose(x -> settle(requestId, now));
              }
              return done;
            });
  }

  /**
   * Every place of the credential's cloud, page by page, then when it is next due. A portal access
   * is looked up by its user name on its provisioned role, found first.
   */
  private Future<Void> lookUp(ActivityStore.Due d, Instant now) {
    ActivityLookup cloud = clouds.get(d.cloud());
    if (cloud == null) {
      return store.failed(d.credentialId(), now.plus(settings.lookupEvery()));
    }
    if (d.portal().isEmpty()) {
      return lookUp(cloud, d, now);
    }
    return store
        .portals()
        .withRole(d.portal().get())
        .transform(
            ar -> {
              if (ar.failed()) {
                LOG.warn(
                    "no provisioned role yet for {} (looked up again later): {}",
                    d.credentialId(),
                    ar.cause().toString());
                return store.failed(d.credentialId(), now.plus(settings.lookupEvery()));
              }
              PortalAccess.Portal p = ar.result();
              return lookUp(
                  cloud,
                  new ActivityStore.Due(
                      d.credentialId(),
                      d.requestId(),
                      d.cloud(),
                      d.accessKeyId(),
                      p.roleArn().orElseThrow(),
                      d.issuedAt(),
                      d.endsAt(),
                      d.checkedAt(),
                      Optional.of(p)),
                  now);
            });
  }

  private Future<Void> lookUp(ActivityLookup cloud, ActivityStore.Due d, Instant now) {
    ActivityLookup.By by =
        d.portal().isPresent() ? ActivityLookup.By.USER_NAME : ActivityLookup.By.KEY;
    Instant from =
        d.checkedAt().map(c -> c.minus(settings.settle())).orElse(d.issuedAt()).minus(SKEW);
    Instant to = now;
    Future<Void> all = Future.succeededFuture();
    for (String place : cloud.places()) {
      all =
          all.compose(
              x ->
                  pages(
                      cloud,
                      d,
                      new ActivityLookup.Query(
                          d.accessKeyId(), d.target(), place, from, to, Optional.empty(), by)));
    }
    return all.transform(
        ar -> {
          if (ar.failed()) {
            LOG.warn(
                "looking up credential {} failed (looked up again later): {}",
                d.credentialId(),
                ar.cause().toString());
            return store.failed(d.credentialId(), now.plus(settings.lookupEvery()));
          }
          Instant last = d.endsAt().plus(settings.settle());
          Optional<Instant> next =
              now.isBefore(last)
                  ? Optional.of(earliest(now.plus(settings.lookupEvery()), last))
                  : Optional.empty();
          return store
              .checked(d.credentialId(), now, next)
              .compose(x -> next.isEmpty() ? store.await(d.requestId(), now) : succeeded());
        });
  }

  private Future<Void> pages(ActivityLookup cloud, ActivityStore.Due d, ActivityLookup.Query q) {
    return Future.fromCompletionStage(cloud.lookup(q), vertx.getOrCreateContext())
        .compose(
            page ->
                (d.portal().isPresent()
                        ? keepPortals(d.portal().get(), page.calls())
                        : keep(d.credentialId(), d.requestId(), page.calls()))
                    .compose(
                        x ->
                            page.nextToken().isEmpty()
                                ? succeeded()
                                : pages(cloud, d, q.next(page.nextToken()))));
  }

  private Future<Void> keep(
      String credentialId, String requestId, List<ActivityLookup.Call> calls) {
    return store
        .keep(credentialId, requestId, calls)
        .compose(anomalies::conflicted)
        .compose(x -> watch(calls));
  }

  /**
   * Calls found by a user's name: each kept under the portal access it is ({@link PortalAccess}),
   * which for a call in two overlapping grants' windows may be the other's; the rest are the
   * person's other sessions, not kept.
   */
  private Future<Void> keepPortals(PortalAccess.Portal looked, List<ActivityLookup.Call> calls) {
    return store
        .portals()
        .owners(looked, calls)
        .compose(
            byPortal -> {
              Future<Void> all = succeeded();
              for (var e : byPortal.entrySet()) {
                all = all.compose(x -> keep(e.getKey().id(), e.getKey().requestId(), e.getValue()));
              }
              return all;
            });
  }

  /** Each role assumption found, one after another: a failed one fails the lookup, looked again. */
  private Future<Void> watch(List<ActivityLookup.Call> calls) {
    Future<Void> all = succeeded();
    for (ActivityLookup.Call c : calls) {
      if (c.assumedRole().isPresent()) {
        all = all.compose(x -> roles.check(c));
      }
    }
    return all;
  }

  /**
   * Records {@code grant.activity} for {@code requestId} once its grant has ended and every one of
   * its credentials has had its last lookup; until then it is looked at again at the grant's end. A
   * record already in the audit is not written twice; one that cannot be written is tried again a
   * minute later. A new credential on the grant takes the request off the list until it settles.
   */
  private Future<Void> settle(String requestId, Instant now) {
    return grants
        .end(requestId)
        .compose(
            end -> {
              if (end.isEmpty()) {
                return store.awaited(requestId);
              }
              if (end.get().isAfter(now)) {
                return store.awaitUntil(requestId, end.get());
              }
              return store
                  .unsettled(requestId)
                  .compose(open -> open ? store.awaited(requestId) : record(requestId, now));
            })
        .recover(
            e -> {
              LOG.warn("grant.activity for {} not recorded yet: {}", requestId, e.toString());
              return store.awaitUntil(requestId, now.plus(RETRY));
            });
  }

  private Future<Void> record(String requestId, Instant now) {
    return store
        .recorded(requestId)
        .compose(done -> done ? succeeded() : leases(requestId).compose(x -> summedUp(requestId)))
        .compose(x -> store.settled(requestId, now));
  }

  /** {@code grant.activity}: the request's calls, what it handed out and what could be seen. */
  private Future<Void> summedUp(String requestId) {
    Future<ActivitySummary> summary = store.summary(requestId);
    Future<Long> issued = summary.compose(x -> store.issued(requestId));
    Future<Visibility> visibility =
        issued.compose(x -> store.reads().visibility(ActivityReads.Scope.of(requestId)));
    return visibility
        .compose(
            v ->
                audit.append(
                    ActivityAuditEvents.grant(requestId, summary.result(), issued.result(), v)))
        .mapEmpty();
  }

  /**
   * {@code lease.activity} for each task lease that minted on the request, before its {@code
   * grant.activity} (so a grant recorded has its leases recorded): each with the calls its own
   * credentials made. One in the audit already is not written again.
   */
  private Future<Void> leases(String requestId) {
    return store
        .leaseUse(requestId)
        .compose(
            uses -> {
              Future<Void> chain = succeeded();
              for (ActivityStore.LeaseUse use : uses) {
                chain =
                    chain.compose(
                        x ->
                            store
                                .leaseRecorded(requestId, use.leaseId())
                                .compose(
                                    done ->
                                        done
                                            ? succeeded()
                                            : audit
                                                .append(ActivityAuditEvents.lease(requestId, use))
                                                .mapEmpty()));
              }
              return chain;
            });
  }

  private static Instant earliest(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }

  private static Future<Void> succeeded() {
    return Future.succeededFuture();
  }

  @Override
  public void close() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }
}
