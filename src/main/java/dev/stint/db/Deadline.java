package dev.stint.db;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.PromiseInternal;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One wait on the database with a deadline: the answer if it comes in time, otherwise {@link
 * Unanswered} at the deadline, whatever the database does later. The outcome is decided once;
 * {@code expired} runs when the deadline decided it (to drop the connection that did not answer),
 * and {@code late} gets an answer that came after (to hand back a connection nobody waits for).
 */
final class Deadline {
  private Deadline() {}

  static <T> Future<T> of(
      Vertx vertx, long millis, String what, Future<T> work, Runnable expired, Consumer<T> late) {
    return of((ContextInternal) vertx.getOrCreateContext(), millis, what, work, expired, late);
  }

  /** As above, the outcome completing on {@code context}. */
  static <T> Future<T> of(
      ContextInternal context,
      long millis,
      String what,
      Future<T> work,
      Runnable expired,
      Consumer<T> late) {
    PromiseInternal<T> outcome = context.promise();
    AtomicBoolean decided = new AtomicBoolean();
    long timer =
        context.setTimer(
            Math.max(1, millis),
            t -> {
              if (decided.compareAndSet(false, true)) {
                // The silent connection is dropped before the caller hears, so a caller that
                // tries again at once never gets it back from the pool.
                try {
                  expired.run();
                } finally {
                  outcome.fail(
                      new Unanswered(
                          "the database did not answer " + what + " within " + shown(millis)));
                }
              }
            });
    work.onComplete(
        (result, failure) -> {
          context.owner().cancelTimer(timer);
          if (!decided.compareAndSet(false, true)) {
            if (failure == null) {
              late.accept(result);
            }
          } else if (failure != null) {
            outcome.fail(failure);
          } else {
            outcome.complete(result);
          }
        });
    return outcome.future();
  }

  /** As above, for waits whose late answer needs nothing done. */
  static <T> Future<T> of(Vertx vertx, long millis, String what, Future<T> work, Runnable expired) {
    return of(vertx, millis, what, work, expired, result -> {});
  }

  /** A deadline as an operator set it: {@code 5 s}, {@code 1500 ms}. */
  static String shown(long millis) {
    return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
  }

  static long millis(Duration d) {
    return Math.max(1, d.toMillis());
  }
}
