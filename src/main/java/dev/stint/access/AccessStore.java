package dev.stint.access;

import static dev.stint.access.RequestRows.REQUEST_COLUMNS;

import dev.stint.access.Transition.Changed;
import dev.stint.common.Timestamps;
import dev.stint.db.Snapshot;
import dev.stint.error.StintException;
import dev.stint.identity.Person;
import dev.stint.outbox.Committed;
import dev.stint.outbox.Outbox;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Requests in Postgres, read whole with their votes and grants; votes are {@link VoteStore}'s to
 * write, grants {@link GrantStore}'s. Every change happens in a transaction that holds the
 * request's row lock from reading it to writing the new state, so two decisions can never both
 * start from the same state; the version column double-checks that.
 */
final class AccessStore {
  private static final String UPDATE_REQUEST =
      "UPDATE access_requests SET state = $2, updated_at = $3, version = $4, stage = $6,"
          + " stage_opened_at = $7,"
          // A stage that opens escalates and reminds on its own clock.
          + " escalated_at = CASE WHEN stage IS DISTINCT FROM $6 AND stage IS NOT NULL"
          + " THEN NULL ELSE escalated_at END,"
          + " reminded_at = CASE WHEN stage IS DISTINCT FROM $6 AND stage IS NOT NULL"
          + " THEN NULL ELSE reminded_at END"
          + " WHERE id = $1 AND version = $5";

  private final Pool pool;
  private final Outbox<RequestListener.Change> outbox;
  private final GrantStore grants;
  private final EligibilityHolds holds;
  private final RequestInsert inserts;

  /**
   * @param reads where the grant lookup each issuance makes runs: {@link
   *     dev.stint.db.Database#pipelined()} in the server
   */
  public AccessStore(Pool pool, SqlClient reads) {
    this(pool, reads, new Outbox<>(pool));
  }

  /**
   * @param outbox where each change's effects are written, in the change's transaction
   */
  public AccessStore(Pool pool, SqlClient reads, Outbox<RequestListener.Change> outbox) {
    this(pool, reads, outbox, EligibilityHolds.NONE);
  }

  /**
   * @param holds whose eligibility a review suspended: asked in each request's insert, which then
   *     files nothing for them
   */
  public AccessStore(
      Pool pool, SqlClient reads, Outbox<RequestListener.Change> outbox, EligibilityHolds holds) {
    this.pool = pool;
    this.outbox = outbox;
    this.holds = holds;
    this.inserts = new RequestInsert(holds);
    this.grants = new GrantStore(pool, reads, outbox);
  }

  /**
   * {@code person}'s hold on {@code profile}, if a review suspended them, read in a transaction of
   * its own so the read takes their turn for the profile.
   */
  Future<Optional<EligibilityHolds.Hold>> held(Person person, String profile) {
    return pool.withTransaction(conn -> holds.held(conn, person, profile));
  }

  /** The grants of the requests stored here, on the same pools and outbox. */
  public GrantStore grants() {
    return grants;
  }

  public Outbox<RequestListener.Change> outbox() {
    return outbox;
  }

  /** Which requests were made together, on the same pool. */
  BundleStore bundles() {
    return new BundleStore(pool);
  }

  /** The sweeper's marks on pending requests, on the same pool and outbox. */
  RoutingStore routing() {
    return new RoutingStore(pool, outbox);
  }

  /**
   * Stores a new request (and its grant, when approved at creation). {@code beforeCommit} runs
   * inside the transaction, so the request exists only if it succeeds — the audit append goes
   * there.
   */
  public Future<AccessRequest> insert(
      AccessRequest r, Function<AccessRequest, Future<?>> beforeCommit) {
    return insert(r, Optional.empty(), false, beforeCommit, List.of());
  }

  /**
   * As {@link #insert(AccessRequest, Function)}, for a request opened under CI rule {@code ciRule},
   * by a requester whose email was verified or not, with the {@code changes} it makes written to
   * the outbox in its transaction.
   */
  public Future<AccessRequest> insert(
      AccessRequest r,
      Optional<String> ciRule,
      boolean emailVerified,
      Function<AccessRequest, Future<?>> beforeCommit,
      List<RequestListener.Change> changes) {
    return pool.withTransaction(
        conn ->
            inserts
                .write(conn, r, ciRule, emailVerified)
                .compose(x -> beforeCommit.apply(r))
                .compose(x -> outbox.enqueue(conn, changes))
                .map(x -> r));
  }

  /**
   * The holder of {@code r} as facts about them may be asked: with the email the request records
   * only when its identity provider verified it then (requests filed before that was recorded keep
   * their email, as they were decided with it).
   */
  Future<Person> factSubject(AccessRequest r) {
    return pool.preparedQuery("SELECT requester_email_verified FROM access_requests WHERE id = $1")
        .execute(Tuple.of(r.id()))
        .map(
            rows -> {
              Boolean verified =
                  rows.iterator().hasNext()
                      ? rows.iterator().next().getBoolean("requester_email_verified")
                      : Boolean.FALSE;
              Person p = r.requester();
              return verified == null || verified
                  ? p
                  : new Person(p.issuer(), p.subject(), Optional.empty());
            });
  }

  /** Writes that span the requests of one bundle, on the same pool and outbox. */
  BundleWrites bundleWrites() {
    return new BundleWrites(inserts, pool, outbox);
  }

  /**
   * An outbox row's change, for delivery: the request as it is now, with what the row recorded of
   * the change. Empty when the request no longer exists.
   */
  public Future<Optional<RequestListener.Change>> rebuild(Committed.Recorded recorded) {
    return find(recorded.requestId())
        .map(
            found ->
                found.map(
                    request ->
                        new RequestListener.Change(
                            recorded.event(),
                            request,
                            recorded.actor(),
                            recorded.comment(),
                            recorded.at())));
  }

  public Future<Optional<AccessRequest>> find(String id) {
    return Snapshot.read(
        pool,
        conn ->
            conn.preparedQuery(RequestQueries.FIND)
                .execute(Tuple.of(id))
                .compose(rows -> RequestLoader.load(conn, rows))
                .map(list -> list.stream().findFirst()));
  }

  /** The first {@code filter.limit()} requests the filter matches, newest first. */
  public Future<List<AccessRequest>> list(Requests.Filter filter) {
    return page(filter).map(Requests.Page::requests);
  }

  /** As {@link #list}, with where the next page starts when more rows remain. */
  public Future<Requests.Page> page(Requests.Filter filter) {
    RequestQueries.Sql sql = RequestQueries.list(filter);
    return Snapshot.read(
            pool,
            conn ->
                conn.preparedQuery(sql.text())
                    .execute(Tuple.from(sql.args()))
                    .compose(rows -> RequestLoader.load(conn, rows)))
        .map(
            rows -> {
              boolean more = rows.size() > filter.limit();
              List<AccessRequest> page = more ? rows.subList(0, filter.limit()) : rows;
              return new Requests.Page(
                  page,
                  more
                      ? Optional.of(Requests.Cursor.after(page.get(page.size() - 1)))
                      : Optional.empty());
            });
  }

  /** The CI rule that opened request {@code id}; empty for a person's request or no request. */
  public Future<Optional<String>> ciRuleOf(String id) {
    return pool.preparedQuery("SELECT ci_rule FROM access_requests WHERE id = $1")
        .execute(Tuple.of(id))
        .map(
            rows ->
                rows.size() == 0
                    ? Optional.<String>empty()
                    : Optional.ofNullable(rows.iterator().next().getString("ci_rule")));
  }

  /** The holder's newest pending request for a profile under CI rule {@code ciRule}. */
  public Future<Optional<AccessRequest>> pendingUnderCiRule(
      Person holder, String profile, String ciRule) {
    return Snapshot.read(
        pool,
        conn ->
            conn.preparedQuery(RequestQueries.PENDING_UNDER_CI_RULE)
                .execute(Tuple.of(holder.issuer(), holder.subject(), profile, ciRule))
                .compose(rows -> RequestLoader.load(conn, rows))
                .map(list -> list.stream().findFirst()));
  }

  /**
   * Applies one decision to a group of requests under their row locks, all or none: {@code decide}
   * sees them in the order of {@code ids} and answers an outcome for each; only when every one is
   * {@link Changed} are they written (and their effects queued), in the same transaction.
   */
  Future<List<Transition>> updateAll(
      List<String> ids,
      Function<List<AccessRequest>, Future<List<Transition>>> decide,
      Function<Changed, List<RequestListener.Change>> effects) {
    String lock =
        "SELECT "
            + REQUEST_COLUMNS
            + " FROM access_requests WHERE id = ANY($1)"
            + " ORDER BY id FOR UPDATE";
    return pool.withTransaction(
        conn ->
            conn.preparedQuery(lock)
                .execute(Tuple.of(ids.toArray(new String[0])))
                .compose(rows -> RequestLoader.load(conn, rows))
                .compose(
                    found -> {
                      if (found.size() != ids.size()) {
                        return Future.failedFuture(
                            StintException.notFound("no request " + ids.get(0)));
                      }
                      Map<String, AccessRequest> byId = new HashMap<>();
                      found.forEach(r -> byId.put(r.id(), r));
                      List<AccessRequest> current = ids.stream().map(byId::get).toList();
                      return decide
                          .apply(current)
                          .compose(
                              outcomes -> {
                                if (!outcomes.stream().allMatch(Changed.class::isInstance)) {
                                  return Future.succeededFuture(outcomes);
                                }
                                Future<Void> chain = Future.succeededFuture();
                                for (int i = 0; i < outcomes.size(); i++) {
                                  Changed changed = (Changed) outcomes.get(i);
                                  AccessRequest before = current.get(i);
                                  chain =
                                      chain.compose(x -> persist(conn, before, changed, effects));
                                }
                                return chain.map(outcomes);
                              });
                    }));
  }

  /**
   * Applies a sweeper decision to the next due request no other replica is working on, or answers
   * empty when none is due. {@code SKIP LOCKED} is what keeps replicas from doing the same work
   * twice.
   */
  public Future<Optional<Transition>> updateNextDue(
      Due due,
      Instant now,
      Duration reviewTimeout,
      Function<AccessRequest, Future<Transition>> decide,
      Function<Changed, List<RequestListener.Change>> effects) {
    String sql = due == Due.TIMED_OUT ? RequestQueries.NEXT_TIMED_OUT : RequestQueries.NEXT_EXPIRED;
    Instant cutoff = due == Due.TIMED_OUT ? now.minus(reviewTimeout) : now;
    return pool.withTransaction(
        conn ->
            conn.preparedQuery(sql)
                .execute(Tuple.of(Timestamps.utc(cutoff)))
                .compose(rows -> RequestLoader.load(conn, rows))
                .compose(
                    found ->
                        found.isEmpty()
                            ? Future.succeededFuture(Optional.<Transition>empty())
                            : apply(conn, found.get(0), decide, effects).map(Optional::of)));
  }

  /** What the sweeper looks for. */
  public enum Due {
    TIMED_OUT,
    EXPIRED
  }

  private Future<Transition> apply(
      SqlConnection conn,
      AccessRequest current,
      Function<AccessRequest, Future<Transition>> decide,
      Function<Changed, List<RequestListener.Change>> effects) {
    return decide
        .apply(current)
        .compose(
            outcome ->
                outcome instanceof Changed changed
                    ? persist(conn, current, changed, effects).map(outcome)
                    : Future.succeededFuture(outcome));
  }

  /**
   * Makes one change durable in its transaction, whichever path decided it: the request's row, the
   * grant's sessions marked revoked when it is a revoke, and its effects in the outbox.
   */
  Future<Void> persist(
      SqlConnection conn,
      AccessRequest before,
      Changed changed,
      Function<Changed, List<RequestListener.Change>> effects) {
    return write(conn, before, changed)
        .compose(x -> GrantStore.revokedSessions(conn, changed))
        .compose(x -> outbox.enqueue(conn, effects.apply(changed)));
  }

  Future<Void> write(SqlConnection conn, AccessRequest before, Changed changed) {
    AccessRequest next = changed.request();
    Tuple update =
        Tuple.of(
            next.id(),
            next.state().code(),
            Timestamps.utc(next.updatedAt()),
            next.version(),
            before.version());
    Tuple open = RequestRows.openStage(next);
    update.addValue(open.getValue(0)).addValue(open.getValue(1));
    return conn.preparedQuery(UPDATE_REQUEST)
        .execute(update)
        .compose(
            rows ->
                rows.rowCount() == 1
                    ? Future.succeededFuture()
                    : Future.failedFuture(
                        new IllegalStateException(
                            "request " + next.id() + " changed under its row lock")))
        .compose(
            x ->
                changed.vote().isEmpty()
                    ? Future.succeededFuture()
                    : VoteStore.insert(conn, next.id(), changed.vote().get()))
        .compose(x -> VoteStore.deleteWithdrawn(conn, before, next))
        .compose(
            x ->
                next.grant().equals(before.grant())
                    ? Future.succeededFuture()
                    : GrantStore.writeGrant(conn, next.grant(), next.updatedAt()));
  }
}
