package dev.stint.mint;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The one seam for blocking cloud SDK calls: every minter and the revocation writer run theirs
 * through here, on an executor that is never an event loop. Failures complete the future with the
 * exception itself (not wrapped in a CompletionException), so {@code Future.fromCompletionStage}
 * hands the {@code MintException} straight to the error mapper. An executor that refuses the call
 * (its bounded queue is full: the cloud is slow and callers pile up) fails it at once with what
 * {@code busy} makes of the refusal, instead of letting it wait without bound.
 */
public final class Blocking {
  private Blocking() {}

  public static <T> CompletableFuture<T> supply(
      Executor executor,
      Supplier<T> work,
      Function<RejectedExecutionException, RuntimeException> busy) {
    CompletableFuture<T> result = new CompletableFuture<>();
    try {
      executor.execute(
          () -> {
            try {
              result.complete(work.get());
            } catch (RuntimeException | Error e) {
              result.completeExceptionally(e);
            }
          });
    } catch (RejectedExecutionException e) {
      result.completeExceptionally(busy.apply(e));
    }
    return result;
  }
}
