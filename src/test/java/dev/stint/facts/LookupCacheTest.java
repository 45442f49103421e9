package dev.stint.facts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.testing.MutableClock;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** What the cache keeps, shares and refuses, with time moved by hand. */
class LookupCacheTest {
  final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T12:00:00Z"));
  final LookupCache<String> cache =
      new LookupCache<>(
          "Source", new LookupSettings(Duration.ofSeconds(2), Duration.ofSeconds(30), clock));
  final AtomicInteger calls = new AtomicInteger();

  Future<String> answering(String value) {
    calls.incrementAndGet();
    return Future.succeededFuture(value);
  }

  Future<String> failing(FactLookupException e) {
    calls.incrementAndGet();
    return Future.failedFuture(e);
  }

  @Test
  void anAnswerIsKeptForItsLifetimeOnly() {
    assertThat(cache.get("k", () -> answering("one")).result()).isEqualTo("one");
    clock.advance(Duration.ofSeconds(29));
    assertThat(cache.get("k", () -> answering("two")).result()).isEqualTo("one");
    clock.advance(Duration.ofSeconds(1));
    assertThat(cache.get("k", () -> answering("two")).result()).isEqualTo("two");
    assertThat(calls).hasValue(2);
  }

  @Test
  void anAnswerIsNeverKeptPastOneRecheck() {
    LookupCache<String> rechecked =
        new LookupCache<>(
            "Source",
            LookupSettings.rechecked(Duration.ofSeconds(2), Duration.ofSeconds(10), clock));
    assertThat(rechecked.get("k", () -> answering("open")).result()).isEqualTo("open");
    clock.advance(Duration.ofSeconds(9));
    assertThat(rechecked.get("k", () -> answering("done")).result()).isEqualTo("open");
    clock.advance(Duration.ofSeconds(1));
    assertThat(rechecked.get("k", () -> answering("done")).result()).isEqualTo("done");
    assertThat(
            LookupSettings.rechecked(Duration.ofSeconds(2), Duration.ofMinutes(1), clock)
                .cacheFor())
        .as("a longer recheck keeps the usual lifetime")
        .isEqualTo(LookupSettings.DEFAULT_CACHE_FOR);
  }

  @Test
  void aFailureIsNotKept() {
    assertThat(
            cache.get("k", () -> failing(new FactLookupException("Source answered 503"))).failed())
        .isTrue();
    assertThat(cache.get("k", () -> answering("one")).result()).isEqualTo("one");
    assertThat(calls).hasValue(2);
  }

  @Test
  void lookupsOfAKeyBeingLookedUpShareTheOneCall() {
    Promise<String> slow = Promise.promise();
    Future<String> first =
        cache.get(
            "k",
            () -> {
              calls.incrementAndGet();
              return slow.future();
            });
    Future<String> second = cache.get("k", () -> answering("other"));
    Future<String> otherKey = cache.get("j", () -> answering("j"));

    slow.complete("slow");
    assertThat(first.result()).isEqualTo("slow");
    assertThat(second.result()).isEqualTo("slow");
    assertThat(otherKey.result()).isEqualTo("j");
    assertThat(calls).hasValue(2);
  }

  @Test
  void aThrottledSourceIsNotCalledForAnyKeyUntilTheTimeItGave() {
    FactLookupException throttled =
        new FactLookupException("Source answered 429", Optional.of(Duration.ofSeconds(10)));
    assertThat(cache.get("k", () -> failing(throttled)).cause()).isSameAs(throttled);

    Future<String> refused = cache.get("j", () -> answering("j"));
    assertThat(refused.cause())
        .isInstanceOf(FactLookupException.class)
        .hasMessageStartingWith("Source answered 429; not asked again before");
    assertThat(calls).hasValue(1);

    clock.advance(Duration.ofSeconds(10));
    assertThat(cache.get("j", () -> answering("j")).result()).isEqualTo("j");
    assertThat(calls).hasValue(2);
  }

  @Test
  void pastTheMostKeysTheOldestAnswerGoesFirst() {
    for (int i = 0; i <= LookupCache.MAX_KEYS; i++) {
      int n = i;
      cache.get("k" + n, () -> answering("v" + n));
    }
    calls.set(0);
    cache.get("k" + LookupCache.MAX_KEYS, () -> answering("again"));
    assertThat(calls).hasValue(0);
    assertThat(cache.get("k0", () -> answering("again")).result()).isEqualTo("again");
    assertThat(calls).hasValue(1);
  }
}
