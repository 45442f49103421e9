package dev.stint.facts;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A source's answers kept for a short while, by key (a schedule, a ticket): an answer is reused
 * until it is older than the cache lifetime, and lookups of a key already being looked up wait for
 * that one call. Failures are not kept, so the next lookup asks again, except a throttled call: the
 * source asked not to be called for a while, so until then every lookup fails at once without
 * calling it. Thread-safe: lookups may start on any thread.
 */
final class LookupCache<T> {
  /**
   * Keys kept at most: ticket keys come from requests, so their number is the requesters' to
   * choose, not ours; past it the oldest answer goes first.
   */
  static final int MAX_KEYS = 10_000;

  private record Kept<T>(T value, Instant until) {}

  private final String source;
  private final LookupSettings settings;
  private final Map<String, Future<T>> pending = new HashMap<>();
  private final Map<String, Kept<T>> kept =
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Kept<T>> eldest) {
          return size() > MAX_KEYS;
        }
      };
  private Instant throttledUntil = Instant.MIN;

  LookupCache(String source, LookupSettings settings) {
    this.source = source;
    this.settings = settings;
  }

  /** The answer for {@code key}: kept, pending, or looked up now by {@code lookup}. */
  Future<T> get(String key, Supplier<Future<T>> lookup) {
    Promise<T> mine = Promise.promise();
    synchronized (this) {
      Instant now = settings.clock().instant();
      if (now.isBefore(throttledUntil)) {
        return Future.failedFuture(
            new FactLookupException(
                source + " answered 429; not asked again before " + throttledUntil));
      }
      Kept<T> answer = kept.get(key);
      if (answer != null && now.isBefore(answer.until())) {
        return Future.succeededFuture(answer.value());
      }
      Future<T> waiting = pending.get(key);
      if (waiting != null) {
        return waiting;
      }
      pending.put(key, mine.future());
    }
    Future<T> looked;
    try {
      looked = lookup.get();
    } catch (RuntimeException e) {
      looked = Future.failedFuture(e);
    }
    looked.onComplete(result -> settle(key, mine, result));
    return mine.future();
  }

  private void settle(String key, Promise<T> mine, AsyncResult<T> result) {
    synchronized (this) {
      pending.remove(key);
      Instant now = settings.clock().instant();
      if (result.succeeded()) {
        kept.remove(key);
        kept.put(key, new Kept<>(result.result(), now.plus(settings.cacheFor())));
      } else if (result.cause() instanceof FactLookupException refused
          && refused.retryAfter().isPresent()) {
        Instant until = now.plus(refused.retryAfter().get());
        throttledUntil = until.isAfter(throttledUntil) ? until : throttledUntil;
      }
    }
    mine.handle(result);
  }
}
