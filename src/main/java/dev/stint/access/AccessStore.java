package dev.stint.access;

import static dev.stint.access.RequestRows.GRANT_COLUMNS;
import static dev.stint.access.RequestRows.REQUEST_COLUMNS;
import static dev.stint.access.RequestRows.VOTE_COLUMNS;

import dev.stint.access.Transition.Changed;
import dev.stint.common.Timestamps;
import dev.stint.error.StintException;
import dev.stint.identity.Person;
import dev.stint.ledger.Ledger;
import dev.stint.outbox.Committed;
import dev.stint.outbox.Outbox;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.StreamSupport;

/**
 * Requests, votes and grants in Postgres. Every change happens in a transaction that holds the
 * request's row lock from reading it to writing the new state, so two decisions can never both
 * start from the same state; the version column double-checks that.
 */
public final class AccessStore {
  static final String INSERT_REQUEST =
      "INSERT INTO access_requests ("
          + REQUEST_COLUMNS
          + ", stage, stage_opened_at, ci_rule, requester_email_verified) VALUES ($1, $2, $3, $4,"
          + " $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)";
  private static final String INSERT_VOTE =
      "INSERT INTO approvals (" + VOTE_COLUMNS + ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
  private static final String DELETE_VOTE =
      "DELETE FROM approvals WHERE request_id = $1 AND approver_issuer = $2"
          + " AND approver_subject = $3";
  private static final String UPSERT_GRANT =
      "INSERT INTO grants ("
          + GRANT_COLUMNS
          + ", created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15,"
          + " $16, $17) ON CONFLICT (id) DO UPDATE SET revoked_at = EXCLUDED.revoked_at,"
          + " revoked_by = EXCLUDED.revoked_by, revoked_by_issuer = EXCLUDED.revoked_by_issuer,"
          + " revoked_by_email = EXCLUDED.revoked_by_email, reviewed_at = EXCLUDED.reviewed_at,"
          + " reviewed_by = EXCLUDED.reviewed_by, reviewed_by_issuer = EXCLUDED.reviewed_by_issuer,"
          + " reviewed_by_email = EXCLUDED.reviewed_by_email";

  /**
   * {@link #claimEndChecks}, read through grants_end_checks (V32). The batch is written into the
   * statement, not passed: a prepared statement's generic plan takes a {@code LIMIT $n} for a tenth
   * of the table and then joins the update to a scan of every grant.
   */
  static final String CLAIM_END_CHECKS =
      "UPDATE grants SET end_checked_at = $2 WHERE id IN (SELECT id FROM grants"
          + " WHERE revoked_at IS NULL AND ends_at > $2 AND profile = ANY($1)"
          + " AND (end_checked_at IS NULL OR end_checked_at <= $3)"
          + " ORDER BY end_checked_at NULLS FIRST LIMIT "
          + EndWhenSweep.BATCH
          + " FOR UPDATE SKIP LOCKED) RETURNING request_id";

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
  private final SqlClient reads;
  private final Outbox<RequestListener.Change> outbox;

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
    this.pool = pool;
    this.reads = reads;
    this.outbox = outbox;
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
            conn.preparedQuery(INSERT_REQUEST)
                .execute(
                    RequestRows.insertRequest(r)
                        .addValue(ciRule.orElse(null))
                        .addValue(emailVerified))
                .compose(x -> writeGrant(conn, r.grant(), r.updatedAt()))
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
    return new BundleWrites(this, pool, outbox);
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
    return pool.withConnection(
        conn ->
            conn.preparedQuery(RequestQueries.FIND)
                .execute(Tuple.of(id))
                .compose(rows -> hydrate(conn, rows))
                .map(list -> list.stream().findFirst()));
  }

  /** The first {@code filter.limit()} requests the filter matches, newest first. */
  public Future<List<AccessRequest>> list(RequestFilter filter) {
    return page(filter).map(RequestPage::requests);
  }

  /** As {@link #list}, with where the next page starts when more rows remain. */
  public Future<RequestPage> page(RequestFilter filter) {
    RequestQueries.Sql sql = RequestQueries.list(filter);
    return pool.withConnection(
            conn ->
                conn.preparedQuery(sql.text())
                    .execute(Tuple.from(sql.args()))
                    .compose(rows -> hydrate(conn, rows)))
        .map(
            rows -> {
              boolean more = rows.size() > filter.limit();
              List<AccessRequest> page = more ? rows.subList(0, filter.limit()) : rows;
              return new RequestPage(
                  page,
                  more
                      ? Optional.of(RequestCursor.after(page.get(page.size() - 1)))
                      : Optional.empty());
            });
  }

  /**
   * The holder's grant for a profile that is usable at {@code now} and lasts longest: with
   * overlapping grants, minting uses that one, and ending one leaves the others alone. One row, not
   * all of them: this runs on every issuance, and a person can hold many grants at once.
   */
  public Future<Optional<Grant>> longestActiveGrant(
      Person holder, String profile, Instant now, Optional<String> ciRule) {
    Tuple args = Tuple.from(RequestQueries.longestActiveGrantArgs(holder, profile, now, ciRule));
    return reads
        .preparedQuery(RequestQueries.LONGEST_ACTIVE_GRANT)
        .execute(args)
        .map(
            rows ->
                rows.size() == 0
                    ? Optional.<Grant>empty()
                    : Optional.of(RequestRows.grant(rows.iterator().next(), holder)));
  }

  /**
   * Whether a grant is revoked (or unknown), read afresh after each mint: one row by primary key,
   * over the pipelined connections like the grant lookup before it.
   */
  public Future<Boolean> grantRevoked(String grantId) {
    return reads
        .preparedQuery("SELECT revoked_at IS NOT NULL AS revoked FROM grants WHERE id = $1")
        .execute(Tuple.of(grantId))
        .map(rows -> rows.size() == 0 || rows.iterator().next().getBoolean("revoked"));
  }

  /** The credentials ledger, on the same pool: what was issued on the grants stored here. */
  public Ledger ledger() {
    return new Ledger(pool);
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
    return pool.withConnection(
        conn ->
            conn.preparedQuery(RequestQueries.PENDING_UNDER_CI_RULE)
                .execute(Tuple.of(holder.issuer(), holder.subject(), profile, ciRule))
                .compose(rows -> hydrate(conn, rows))
                .map(list -> list.stream().findFirst()));
  }

  /**
   * Takes up to {@link EndWhenSweep#BATCH} live grants of {@code profiles} not checked since {@code
   * before}, for this replica alone ({@code SKIP LOCKED}), marking them checked at {@code now}:
   * their requests' ids, the oldest checked first. A replica that stops mid-way leaves them to the
   * next round.
   */
  Future<List<String>> claimEndChecks(List<String> profiles, Instant now, Instant before) {
    return pool.preparedQuery(CLAIM_END_CHECKS)
        .execute(
            Tuple.of(profiles.toArray(new String[0]), Timestamps.utc(now), Timestamps.utc(before)))
        .map(
            rows ->
                StreamSupport.stream(rows.spliterator(), false).map(r -> r.getString(0)).toList());
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
                .compose(rows -> hydrate(conn, rows))
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
                .compose(rows -> hydrate(conn, rows))
                .compose(
                    found ->
                        found.isEmpty()
                            ? Future.succeededFuture(Optional.<Transition>empty())
                            : apply(conn, found.get(0), decide, effects).map(Optional::of)));
  }

  /**
   * Marks the next active grant ending within {@code before} whose holder has not been reminded of
   * its current end, and runs {@code beforeCommit} (the audit append) in the same transaction: the
   * reminder is recorded once, by one replica.
   */
  public Future<Optional<AccessRequest>> remindNext(
      Instant now,
      Duration before,
      Function<AccessRequest, Future<?>> beforeCommit,
      Function<AccessRequest, List<RequestListener.Change>> effects) {
    String sql = RequestQueries.NEXT_REMINDER;
    Tuple args = Tuple.of(Timestamps.utc(now), Timestamps.utc(now.plus(before)));
    return pool.withTransaction(
        conn ->
            conn.preparedQuery(sql)
                .execute(args)
                .compose(rows -> hydrate(conn, rows))
                .compose(
                    found -> {
                      if (found.isEmpty()) {
                        return Future.succeededFuture(Optional.<AccessRequest>empty());
                      }
                      AccessRequest r = found.get(0);
                      return conn.preparedQuery(
                              "UPDATE grants SET reminded_at = $2 WHERE request_id = $1")
                          .execute(Tuple.of(r.id(), Timestamps.utc(now)))
                          .compose(x -> beforeCommit.apply(r))
                          .compose(x -> outbox.enqueue(conn, effects.apply(r)))
                          .map(x -> Optional.of(r));
                    }));
  }

  /**
   * Records a note on the request of grant {@code grantId} without changing it: {@code
   * beforeCommit} (its audit event) and the {@code effects} written to the outbox commit together.
   * Answers empty when no request holds that grant.
   */
  public Future<Optional<AccessRequest>> noteOnGrant(
      String grantId,
      Function<AccessRequest, Future<?>> beforeCommit,
      Function<AccessRequest, List<RequestListener.Change>> effects) {
    return pool.withTransaction(
        conn ->
            conn.preparedQuery(RequestQueries.FIND_BY_GRANT)
                .execute(Tuple.of(grantId))
                .compose(rows -> hydrate(conn, rows))
                .compose(
                    found ->
                        found.isEmpty()
                            ? Future.succeededFuture(Optional.<AccessRequest>empty())
                            : beforeCommit
                                .apply(found.get(0))
                                .compose(x -> outbox.enqueue(conn, effects.apply(found.get(0))))
                                .map(x -> Optional.of(found.get(0)))));
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
        .compose(x -> revokedSessions(conn, changed))
        .compose(x -> outbox.enqueue(conn, effects.apply(changed)));
  }

  /**
   * A revoke marks the grant's revocable sessions revoked in its own transaction, so that any
   * role's deny written from then on names them, whichever revocation writes it; the revocation
   * itself marks those whose rows commit later.
   */
  private static Future<?> revokedSessions(SqlConnection conn, Changed changed) {
    return changed.eventType().equals("grant.revoked")
        ? Ledger.markRevoked(
            conn, changed.request().grant().orElseThrow().id(), changed.request().updatedAt())
        : Future.succeededFuture();
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
                    : conn.preparedQuery(INSERT_VOTE)
                        .execute(RequestRows.insertVote(next.id(), changed.vote().get()))
                        .mapEmpty())
        .compose(x -> deleteWithdrawnVotes(conn, before, next))
        .compose(
            x ->
                next.grant().equals(before.grant())
                    ? Future.succeededFuture()
                    : writeGrant(conn, next.grant(), next.updatedAt()));
  }

  /**
   * A vote the change took away (a leaver's, {@link RequestMachine#withdrawVote}) is deleted: the
   * approvals table holds the votes that count, so no reader can count a withdrawn one; the audit
   * chain keeps both the vote and its withdrawal.
   */
  private static Future<Void> deleteWithdrawnVotes(
      SqlConnection conn, AccessRequest before, AccessRequest next) {
    Future<Void> chain = Future.succeededFuture();
    for (Vote v : before.votes()) {
      if (next.votes().stream().noneMatch(n -> n.approver().is(v.approver()))) {
        Tuple key = Tuple.of(next.id(), v.approver().issuer(), v.approver().subject());
        chain = chain.compose(x -> conn.preparedQuery(DELETE_VOTE).execute(key).mapEmpty());
      }
    }
    return chain;
  }

  Future<Void> writeGrant(SqlClient conn, Optional<Grant> grant, Instant now) {
    return grant.isEmpty()
        ? Future.succeededFuture()
        : conn.preparedQuery(UPSERT_GRANT)
            .execute(RequestRows.upsertGrant(grant.get(), now))
            .mapEmpty();
  }

  /** Loads the votes and grants of the requests in {@code rows}, two queries for any number. */
  static Future<List<AccessRequest>> hydrate(SqlConnection conn, RowSet<Row> rows) {
    List<Row> requestRows = new ArrayList<>();
    rows.forEach(requestRows::add);
    if (requestRows.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    String[] ids = requestRows.stream().map(r -> r.getString("id")).toArray(String[]::new);
    Map<String, List<Vote>> votes = new HashMap<>();
    Map<String, Row> grants = new HashMap<>();
    return conn.preparedQuery(RequestQueries.VOTES_OF)
        .execute(Tuple.of(ids))
        .compose(
            voteRows -> {
              voteRows.forEach(
                  v ->
                      votes
                          .computeIfAbsent(v.getString("request_id"), k -> new ArrayList<>())
                          .add(RequestRows.vote(v)));
              return conn.preparedQuery(RequestQueries.GRANTS_OF).execute(Tuple.of(ids));
            })
        .map(
            grantRows -> {
              grantRows.forEach(g -> grants.put(g.getString("request_id"), g));
              List<AccessRequest> out = new ArrayList<>();
              for (Row row : requestRows) {
                String id = row.getString("id");
                AccessRequest bare =
                    RequestRows.request(row, votes.getOrDefault(id, List.of()), Optional.empty());
                Optional<Grant> grant =
                    Optional.ofNullable(grants.get(id))
                        .map(g -> RequestRows.grant(g, bare.requester()));
                out.add(RequestRows.request(row, bare.votes(), grant));
              }
              return out;
            });
  }
}
