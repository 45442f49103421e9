package dev.stint.mint.aws;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * Runs a blocking SDK call on the given executor. Failures complete the future with the exception
 * itself (not wrapped in a CompletionException), so {@code Future.fromCompletionStage} hands the
 * {@code MintException} straight to the error mapper.
 */
final class Blocking {
  private Blocking() {}

  static <T> CompletableFuture<T> supply(Executor executor, Supplier<T> work) {
    CompletableFuture<T> result = new CompletableFuture<>();
    try {
      executor.execute(() -> {
        try {
          result.complete(work.get());
        } catch (RuntimeException | Error e) {
          result.completeExceptionally(e);
        }
      });
    } catch (RejectedExecutionException e) {
      result.completeExceptionally(e);
    }
    return result;
  }
}
