package dev.stint.extension;

import dev.stint.access.Act;
import dev.stint.error.ErrorCode;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Expires pending extensions whose grant was revoked or has ended, a batch at a time: each under
 * its request's row lock, as every extension decision is, recorded with its audit event and outbox
 * rows, and told after its commit.
 */
final class ExtensionSweep implements ExtensionSweeps {
  private static final int BATCH = 50;
  private final ExtensionStore store;
  private final ExtensionAudit audit;
  private final ExtensionNews news;
  private final Supplier<Instant> now;

  ExtensionSweep(
      ExtensionStore store, ExtensionAudit audit, ExtensionNews news, Supplier<Instant> now) {
    this.store = store;
    this.audit = audit;
    this.news = news;
    this.now = now;
  }

  /** Expires one batch, one request after another; answers how many it expired. */
  @Override
  public Future<Integer> sweep() {
    Instant at = now.get();
    return store
        .stale(at, BATCH)
        .compose(
            requestIds -> {
              Future<Integer> chain = Future.succeededFuture(0);
              for (String requestId : requestIds) {
                chain = chain.compose(n -> expire(requestId, at).map(done -> done ? n + 1 : n));
              }
              return chain;
            });
  }

  /** Whether request {@code requestId}'s pending extension, if any, expired. */
  private Future<Boolean> expire(String requestId, Instant at) {
    return store
        .update(
            requestId,
            locked -> {
              Optional<Extension> pending = locked.pending().flatMap(locked::find);
              ExtensionMachine.Result result =
                  pending.isEmpty()
                      ? new ExtensionMachine.Refused(ErrorCode.CONFLICT, "none pending")
                      : ExtensionMachine.expire(pending.get(), locked.request(), at);
              return audit.swept(locked.request(), result).map(result);
            },
            (locked, c) -> ExtensionNews.changes(c, locked.request(), Act.SYSTEM, at))
        .map(
            result -> {
              if (result instanceof ExtensionMachine.Changed c) {
                news.tell(c, requestId, Act.SYSTEM);
                return true;
              }
              return false;
            });
  }
}
