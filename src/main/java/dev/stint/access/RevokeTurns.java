package dev.stint.access;

import dev.stint.identity.Person;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * One person's revokes on this replica, one at a time: of their grants and of task leases alike. A
 * revoke's pace is judged from what the ledger holds, and each revoke marks its grant's (or its
 * lease's) sessions in its own commit: revokes sent at once would each read the count before any of
 * the others committed, and all pass. In turn, each reads what the ones before it committed.
 * Replicas each keep their own turns, so a person spreading revokes over replicas at once gains at
 * most one per replica beyond the pace.
 */
final class RevokeTurns {
  private final ConcurrentHashMap<String, Future<Void>> last = new ConcurrentHashMap<>();

  /**
   * Runs {@code work} once {@code person}'s earlier revokes here have ended, however they ended.
   */
  <T> Future<T> inTurn(Person person, Supplier<Future<T>> work) {
    String key = person.issuer() + "\n" + person.subject();
    Promise<Void> mine = Promise.promise();
    Future<Void> before = last.put(key, mine.future());
    Future<Void> start =
        before == null ? Future.succeededFuture() : before.transform(x -> Future.succeededFuture());
    Future<T> done = start.compose(x -> work.get());
    done.onComplete(
        x -> {
          last.remove(key, mine.future());
          mine.complete();
        });
    return done;
  }
}
