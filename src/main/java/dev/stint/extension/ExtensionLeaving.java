package dev.stint.extension;

import dev.stint.access.Act;
import dev.stint.access.Leavers;
import dev.stint.error.ErrorCode;
import dev.stint.identity.Person;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Ends the extensions of a person the directory deprovisioned, inside the caller's transaction,
 * after {@link Leavers} has revoked their grants in it:
 *
 * <ol>
 *   <li>find, in request id order, the pending extensions they asked for, or approved (before
 *       {@code before}, when given);
 *   <li>lock each one's request, as every extension decision does;
 *   <li>expire each of their own whose grant is no longer active ({@link ExtensionMachine#expire}:
 *       the transition the sweeper would make a little later, made now, so it commits with the
 *       revocation and is counted with it); one on a grant still active (asked since a
 *       re-activation) is left;
 *   <li>withdraw their approval of each other person's ({@link ExtensionMachine#withdrawVote}): it
 *       stops counting, and the extension needs another approver;
 *   <li>record each change's event ({@code grant.extension_expired}, {@code approval.withdrawn};
 *       {@code by} {@code directory}) and write its effects to the outbox.
 * </ol>
 *
 * Run again, it finds nothing left to end. After the caller's commit, {@link #committed} pokes the
 * outbox and tells in-process listeners.
 */
final class ExtensionLeaving implements ExtensionLeavers {
  private final ExtensionStore store;
  private final ExtensionAudit audit;
  private final Supplier<Instant> clock;
  private final Consumer<List<Told>> committed;

  ExtensionLeaving(
      ExtensionStore store,
      ExtensionAudit audit,
      Supplier<Instant> clock,
      Consumer<List<Told>> committed) {
    this.store = store;
    this.audit = audit;
    this.clock = clock;
    this.committed = committed;
  }

  @Override
  public Future<Ended> end(
      SqlConnection conn, Person person, Optional<Instant> before, Leavers.Leaving leaving) {
    // 1.
    return store
        .pendingOf(conn, person, before)
        .compose(ids -> endEach(conn, ids, 0, person, leaving, new ArrayList<>()))
        .map(
            done ->
                new Ended(
                    (int) done.stream().filter(t -> !withdrawn(t)).count(),
                    (int) done.stream().filter(ExtensionLeaving::withdrawn).count(),
                    done));
  }

  private static boolean withdrawn(Told t) {
    return t.changed().eventType().equals("approval.withdrawn");
  }

  private Future<List<Told>> endEach(
      SqlConnection conn,
      List<String> requestIds,
      int i,
      Person person,
      Leavers.Leaving leaving,
      List<Told> done) {
    if (i == requestIds.size()) {
      return Future.succeededFuture(done);
    }
    String requestId = requestIds.get(i);
    Act act = new Act(Act.SYSTEM, clock.get(), Optional.of(leaving.why()));
    // 2.
    return store
        .update(
            conn,
            requestId,
            locked -> decide(locked, person, leaving, act),
            (locked, c) -> ExtensionNews.changes(c, locked.request(), Act.SYSTEM, act.at()))
        .compose(
            result -> {
              if (result instanceof ExtensionMachine.Changed c) {
                done.add(new Told(c, requestId));
              }
              return endEach(conn, requestIds, i + 1, person, leaving, done);
            });
  }

  /** The one pending extension of a locked request, ended or rid of the leaver's vote. */
  private Future<ExtensionMachine.Result> decide(
      ExtensionStore.Locked locked, Person person, Leavers.Leaving leaving, Act act) {
    Optional<Extension> pending = locked.pending().flatMap(locked::find);
    if (pending.isEmpty()) {
      return Future.succeededFuture(
          new ExtensionMachine.Refused(ErrorCode.CONFLICT, "none pending"));
    }
    Extension e = pending.get();
    ExtensionMachine.Result result =
        e.requester().is(person)
            // 3.
            ? ExtensionMachine.expire(e, locked.request(), act.at())
            // 4.
            : ExtensionMachine.withdrawVote(e, person, act);
    // 5.
    return result instanceof ExtensionMachine.Changed c
        ? audit.leaving(locked.request(), c, person, leaving).map(result)
        : Future.succeededFuture(result);
  }

  @Override
  public void committed(Ended ended) {
    committed.accept(ended.changes());
  }
}
