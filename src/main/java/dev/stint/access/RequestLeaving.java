package dev.stint.access;

import static dev.stint.access.RequestRows.REQUEST_COLUMNS;

import dev.stint.access.AccessRequest.RequestState;
import dev.stint.access.Transition.Changed;
import dev.stint.common.Timestamps;
import dev.stint.identity.Person;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Ends what a person the directory deprovisioned holds, inside the caller's transaction (the one
 * that records the deprovisioning as done), so the two commit together or not at all:
 *
 * <ol>
 *   <li>lock, in id order, every pending or approved request the person made before {@code before},
 *       and every other person's pending request they approved before then;
 *   <li>revoke each live grant and withdraw each pending request of theirs, as stint, with the
 *       directory's reason: {@link RequestMachine#revoke} and {@link RequestMachine#withdraw};
 *   <li>withdraw their approval of each other request, if it waits in the open stage: {@link
 *       RequestMachine#withdrawVote}. Its vote is deleted and the request needs another approver. A
 *       vote that approved a stage (its request pending in a later one) stands, as a vote on a
 *       request since approved or denied does: it decided something people then acted on;
 *   <li>record each change's event ({@code grant.revoked}, {@code request.cancelled}, {@code
 *       approval.withdrawn}; {@code by} {@code directory}) and write its effects to the outbox, as
 *       any revoke or vote does: the cloud's revocation (AWS: the role's deny) and the Slack
 *       message's update follow durably from there.
 * </ol>
 *
 * A grant that has already ended, or a request decided meanwhile, is left as it is. Run again, it
 * finds nothing left to end. After the caller's commit, {@link #committed} pokes the outbox. Their
 * extensions are {@code extension}'s, joined with this in {@code app}.
 */
final class RequestLeaving implements Leavers {
  static final String HELD =
      "SELECT "
          + REQUEST_COLUMNS
          + " FROM access_requests r WHERE (requester_issuer = $1 AND requester_subject = $2"
          + " AND state IN ('pending', 'approved')"
          + " AND ($3::timestamptz IS NULL OR created_at < $3))"
          + " OR (state = 'pending' AND EXISTS (SELECT 1 FROM approvals a"
          + " WHERE a.request_id = r.id AND a.approver_issuer = $1 AND a.approver_subject = $2"
          + " AND a.decision = 'approve' AND ($3::timestamptz IS NULL OR a.created_at < $3)))"
          + " ORDER BY id FOR UPDATE";

  static final String HELD_OF_PROFILE =
      "SELECT "
          + REQUEST_COLUMNS
          + " FROM access_requests r WHERE requester_issuer = $1 AND requester_subject = $2"
          + " AND profile = $3 AND state IN ('pending', 'approved') ORDER BY id FOR UPDATE";

  static final String ONE_GRANT =
      "SELECT "
          + REQUEST_COLUMNS
          + " FROM access_requests r WHERE id = $1 AND state = 'approved'"
          + " FOR UPDATE";

  private final AccessStore store;
  private final AccessAudit audit;
  private final Supplier<Instant> clock;
  private final Consumer<List<RequestListener.Change>> committed;

  RequestLeaving(
      AccessStore store,
      AccessAudit audit,
      Supplier<Instant> clock,
      Consumer<List<RequestListener.Change>> committed) {
    this.store = store;
    this.audit = audit;
    this.clock = clock;
    this.committed = committed;
  }

  @Override
  public Future<Ended> end(
      SqlConnection conn, Person person, Optional<Instant> before, Leaving leaving) {
    Tuple args =
        Tuple.of(person.issuer(), person.subject(), before.map(Timestamps::utc).orElse(null));
    return conn.preparedQuery(HELD)
        .execute(args)
        .compose(rows -> RequestLoader.load(conn, rows))
        .compose(held -> endEach(conn, new Held(person, held, leaving), 0, new ArrayList<>()))
        .map(RequestLeaving::counted);
  }

  @Override
  public Future<Ended> revokeGrant(SqlConnection conn, String requestId, Leaving leaving) {
    return conn.preparedQuery(ONE_GRANT)
        .execute(Tuple.of(requestId))
        .compose(rows -> RequestLoader.load(conn, rows))
        .compose(
            held ->
                held.isEmpty()
                    ? Future.succeededFuture(List.<RequestListener.Change>of())
                    : endEach(
                        conn,
                        new Held(held.get(0).requester(), held, leaving),
                        0,
                        new ArrayList<>()))
        .map(RequestLeaving::counted);
  }

  @Override
  public Future<Ended> endOn(SqlConnection conn, Person person, String profile, Leaving leaving) {
    return conn.preparedQuery(HELD_OF_PROFILE)
        .execute(Tuple.of(person.issuer(), person.subject(), profile))
        .compose(rows -> RequestLoader.load(conn, rows))
        .compose(held -> endEach(conn, new Held(person, held, leaving), 0, new ArrayList<>()))
        .map(RequestLeaving::counted);
  }

  /** The leaver, the requests locked for them, and why. */
  private record Held(Person person, List<AccessRequest> requests, Leaving leaving) {}

  private static Ended counted(List<RequestListener.Change> done) {
    return new Ended(
        count(done, "grant.revoked"),
        count(done, "request.cancelled"),
        count(done, "approval.withdrawn"),
        done);
  }

  private static int count(List<RequestListener.Change> done, String event) {
    return (int) done.stream().filter(c -> c.event().equals(event)).count();
  }

  private Future<List<RequestListener.Change>> endEach(
      SqlConnection conn, Held held, int i, List<RequestListener.Change> done) {
    if (i == held.requests().size()) {
      return Future.succeededFuture(done);
    }
    AccessRequest r = held.requests().get(i);
    // Each change at its own moment: a request's updated_at never goes back.
    Act act = new Act(Act.SYSTEM, clock.get(), Optional.of(held.leaving().why()));
    Transition outcome;
    if (!r.requester().is(held.person())) {
      outcome = RequestMachine.withdrawVote(r, held.person(), act);
    } else if (r.state() == RequestState.PENDING) {
      outcome = RequestMachine.withdraw(r, act);
    } else {
      outcome = RequestMachine.revoke(r, act, true);
    }
    if (!(outcome instanceof Changed changed)) {
      return endEach(conn, held, i + 1, done);
    }
    RequestListener.Change change =
        RequestListener.Change.of(changed, Act.SYSTEM, act.comment(), act.at());
    return audit
        .leaving(r, changed, held.person(), held.leaving())
        .compose(x -> store.persist(conn, r, changed, c -> List.of(change)))
        .compose(
            x -> {
              done.add(change);
              return endEach(conn, held, i + 1, done);
            });
  }

  @Override
  public void committed(Ended ended) {
    committed.accept(ended.changes());
  }
}
