package dev.stint.access;

import dev.stint.error.ErrorCode;
import dev.stint.error.RetryLater;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Whether a person's revocation of their own grant, or of a task lease of their own grant, must
 * wait (ARCHITECTURE §13: slowed with {@code 429} and {@code Retry-After}, never refused): each
 * revoked grant or lease whose sessions may be alive takes room in its role's denies, and one
 * person must not fill a role shared with others, which would widen the deny to everyone's
 * sessions. Revoking someone else's grant or lease is never paced.
 */
public interface RevocationPace {
  /** Nothing is ever paced (no cloud whose revocation takes room). */
  RevocationPace NONE =
      new RevocationPace() {
        @Override
        public Future<Optional<Paced>> of(Grant grant, Instant now) {
          return Future.succeededFuture(Optional.empty());
        }

        @Override
        public Future<Optional<Paced>> ofLease(String leaseId, Instant now) {
          return Future.succeededFuture(Optional.empty());
        }
      };

  /** How long the holder of {@code grant} must wait before revoking it, and why; empty: not. */
  Future<Optional<Paced>> of(Grant grant, Instant now);

  /**
   * How long the holder of task lease {@code leaseId}'s grant must wait before revoking the lease,
   * and why; empty: not.
   */
  Future<Optional<Paced>> ofLease(String leaseId, Instant now);

  /** The wait, and a sentence for the person. */
  record Paced(Duration retryAfter, String why) {
    /** The answer a paced revoke gets: 429 with {@code Retry-After}. */
    public RetryLater refusal() {
      return new RetryLater(ErrorCode.REVOCATIONS_PACED, why, retryAfter);
    }
  }
}
