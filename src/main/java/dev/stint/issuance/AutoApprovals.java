package dev.stint.issuance;

import dev.stint.access.Grant;
import dev.stint.common.ParameterValues;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * A burst of calls without a grant (a tool running {@code credential_process} in parallel) opens
 * one auto-approved request, not one per call. A call that finds the same person's auto-approval
 * for the profile under way waits for it and looks again. Only within this process; replicas may
 * each open one, which is harmless.
 */
final class AutoApprovals {
  private final Map<Key, Future<Grant>> running = new ConcurrentHashMap<>();

  /** Whose auto-approval for which profile, narrowed to which values. */
  record Key(String issuer, String subject, String profile, ParameterValues values) {}

  /**
   * The grant for a caller who had none when they last looked.
   *
   * @param look the caller's active grant as of now
   * @param open opens an auto-approved request and answers its grant
   */
  Future<Grant> grant(
      Key key, Supplier<Future<Optional<Grant>>> look, Supplier<Future<Grant>> open) {
    Promise<Grant> mine = Promise.promise();
    Future<Grant> other = running.putIfAbsent(key, mine.future());
    if (other != null) {
      // Whether the other one succeeded or failed, the database says what there is now; if
      // still nothing, this call opens its own, unregistered so that nobody waits on it.
      return other.transform(done -> lookOrOpen(look, open));
    }
    // An auto-approval that finished between the caller's last look and this registration has
    // committed its grant already: without this second look a burst could still open two.
    lookOrOpen(look, open)
        .onComplete(
            done -> {
              running.remove(key, mine.future());
              mine.handle(done);
            });
    return mine.future();
  }

  private static Future<Grant> lookOrOpen(
      Supplier<Future<Optional<Grant>>> look, Supplier<Future<Grant>> open) {
    return look.get()
        .compose(now -> now.isPresent() ? Future.succeededFuture(now.get()) : open.get());
  }

  /** How many auto-approvals are under way (for tests). */
  int underWay() {
    return running.size();
  }
}
