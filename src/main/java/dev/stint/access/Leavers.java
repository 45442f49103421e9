package dev.stint.access;

import static dev.stint.access.RequestRows.REQUEST_COLUMNS;

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
 *   <li>lock every pending or approved request the person made before {@code before};
 *   <li>revoke each live grant and withdraw each pending request, as stint, with the directory's
 *       reason: {@link RequestMachine#revoke} and {@link RequestMachine#withdraw};
 *   <li>record each change's event ({@code grant.revoked}, {@code request.cancelled}, {@code by}
 *       {@code directory}) and write its effects to the outbox, as any revoke does: the cloud's
 *       revocation (AWS: the role's deny) follows durably from there.
 * </ol>
 *
 * A grant that has already ended, or a request decided meanwhile, is left as it is. Run again, it
 * finds nothing left to end. After the caller's commit, {@link #committed} pokes the outbox.
 */
public final class Leavers {
  static final String HELD =
      "SELECT "
          + REQUEST_COLUMNS
          + " FROM access_requests WHERE requester_issuer = $1 AND requester_subject = $2"
          + " AND state IN ('pending', 'approved')"
          + " AND ($3::timestamptz IS NULL OR created_at < $3) ORDER BY id FOR UPDATE";

  /** What one person's ending changed, counted, and the changes for after the commit. */
  public record Ended(
      int grantsRevoked, int requestsCancelled, List<RequestListener.Change> changes) {
    public Ended {
      changes = List.copyOf(changes);
    }
  }

  private final AccessStore store;
  private final AccessAudit audit;
  private final Supplier<Instant> clock;
  private final Consumer<List<RequestListener.Change>> committed;

  Leavers(
      AccessStore store,
      AccessAudit audit,
      Supplier<Instant> clock,
      Consumer<List<RequestListener.Change>> committed) {
    this.store = store;
    this.audit = audit;
    this.clock = clock;
    this.committed = committed;
  }

  /**
   * Ends, on {@code conn}'s transaction, what {@code person} asked for (before {@code before}, when
   * given: the directory re-activated them then, and what they ask for since stands).
   */
  public Future<Ended> end(
      SqlConnection conn, Person person, Optional<Instant> before, Leaving leaving) {
    Tuple args =
        Tuple.of(person.issuer(), person.subject(), before.map(Timestamps::utc).orElse(null));
    return conn.preparedQuery(HELD)
        .execute(args)
        .compose(rows -> AccessStore.hydrate(conn, rows))
        .compose(held -> endEach(conn, held, 0, leaving, new ArrayList<>()));
  }

  /** Why the person's access ends, and which directory user said so. */
  public record Leaving(String why, String directoryUser) {}

  private Future<Ended> endEach(
      SqlConnection conn,
      List<AccessRequest> held,
      int i,
      Leaving leaving,
      List<RequestListener.Change> done) {
    if (i == held.size()) {
      int revoked = (int) done.stream().filter(c -> c.event().equals("grant.revoked")).count();
      return Future.succeededFuture(new Ended(revoked, done.size() - revoked, done));
    }
    AccessRequest r = held.get(i);
    // Each change at its own moment: a request's updated_at never goes back.
    Act act = new Act(Act.SYSTEM, clock.get(), Optional.of(leaving.why()));
    Transition outcome =
        r.state() == RequestState.PENDING
            ? RequestMachine.withdraw(r, act)
            : RequestMachine.revoke(r, act, true);
    if (!(outcome instanceof Changed changed)) {
      return endEach(conn, held, i + 1, leaving, done);
    }
    RequestListener.Change change =
        AccessService.change(changed, Act.SYSTEM, act.comment(), act.at());
    return audit
        .leaving(r, changed, leaving.why(), leaving.directoryUser())
        .compose(x -> store.persist(conn, r, changed, c -> List.of(change)))
        .compose(
            x -> {
              done.add(change);
              return endEach(conn, held, i + 1, leaving, done);
            });
  }

  /** After the caller's commit: the outbox delivers now, and in-process listeners hear. */
  public void committed(Ended ended) {
    committed.accept(ended.changes());
  }
}
