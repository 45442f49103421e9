package dev.stint.access;

import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Whether a person's revocation of their own grant must wait (ARCHITECTURE §13: slowed with {@code
 * 429} and {@code Retry-After}, never refused): each revoked grant whose sessions may be alive
 * takes room in its role's denies, and one person must not fill a role shared with others, which
 * would widen the deny to everyone's sessions. Revoking someone else's grant is never paced.
 */
@FunctionalInterface
public interface RevocationPace {
  /** Nothing is ever paced (no cloud whose revocation takes room). */
  RevocationPace NONE = (grant, now) -> Future.succeededFuture(Optional.empty());

  /** How long the holder of {@code grant} must wait before revoking it, and why; empty: not. */
  Future<Optional<Paced>> of(Grant grant, Instant now);

  /** The wait, and a sentence for the person. */
  record Paced(Duration retryAfter, String why) {}
}
