package dev.stint.assignment;

import dev.stint.mint.MintException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Asks the cloud again until an answer is what is waited for, with a bounded backoff: AWS makes and
 * removes assignments asynchronously, and a throttle or a conflicting change in progress passes. A
 * lasting refusal ends the wait at once; past the last delay the wait fails, and the outbox tries
 * the delivery again later (which resumes from what was recorded).
 */
final class Polls {
  /** Short at first (an assignment usually settles within seconds), then a few seconds apart. */
  static final List<Duration> DELAYS =
      List.of(
          Duration.ofMillis(200),
          Duration.ofMillis(500),
          Duration.ofSeconds(1),
          Duration.ofSeconds(2),
          Duration.ofSeconds(4),
          Duration.ofSeconds(5),
          Duration.ofSeconds(5),
          Duration.ofSeconds(5));

  private final Vertx vertx;
  private final List<Duration> delays;

  Polls(Vertx vertx, List<Duration> delays) {
    this.vertx = vertx;
    this.delays = List.copyOf(delays);
  }

  <T> Future<T> until(Supplier<CompletableFuture<T>> ask, Predicate<T> done) {
    Promise<T> result = Promise.promise();
    attempt(ask, done, 0, result);
    return result.future();
  }

  private <T> void attempt(
      Supplier<CompletableFuture<T>> ask, Predicate<T> done, int tried, Promise<T> result) {
    Future.fromCompletionStage(ask.get())
        .onComplete(
            answer -> {
              if (answer.succeeded() && done.test(answer.result())) {
                result.complete(answer.result());
                return;
              }
              if (answer.failed() && !retryable(answer.cause())) {
                result.fail(answer.cause());
                return;
              }
              if (tried >= delays.size()) {
                result.fail(
                    answer.failed()
                        ? answer.cause()
                        : new IllegalStateException("AWS has not finished the change yet"));
                return;
              }
              vertx.setTimer(
                  Math.max(1, delays.get(tried).toMillis()),
                  t -> attempt(ask, done, tried + 1, result));
            });
  }

  private static boolean retryable(Throwable e) {
    return e instanceof MintException m && m.retryable();
  }
}
