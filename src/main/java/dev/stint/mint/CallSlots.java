package dev.stint.mint;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Turns to call a cloud API whose rate limit every replica shares (CloudTrail's lookups, per
 * account and region): each caller takes its own turn under a key it composes, and starts its call
 * no sooner. The turns are kept where every replica sees them, by one clock, so replicas together
 * keep to the limit a single one would.
 *
 * <p>Nothing here blocks: the caller, on a thread of its own (never an event loop), waits for the
 * answer and then for its turn.
 */
public interface CallSlots {
  /**
   * Takes the next turn under {@code key}, {@code spacing} after the turn before it (start to
   * start). Completes with how long from now the turn comes; or empty when the turns already taken
   * reach further ahead than the implementation waits, in which case none was taken and the caller
   * tries again another time. Fails when the turns cannot be read (the store out of reach): the
   * call is not made, and the caller tries again later.
   */
  CompletableFuture<Optional<Duration>> reserve(String key, Duration spacing);
}
