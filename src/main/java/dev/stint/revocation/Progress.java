package dev.stint.revocation;

import dev.stint.ledger.RevocationReach.Live;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * How far one grant's revocation has come: {@code until_deny} while its cloud's revoker is ending
 * the sessions (AWS: writing the deny), {@code denied} once the cloud holds the end on every
 * target, {@code failed} when it could not be written, {@code none} when no credential of the grant
 * was still valid, {@code until_expiry} when those still valid are tokens no cloud can revoke.
 *
 * @param cloud the cloud whose revoker ended the grant's sessions on {@code roles}, once any did
 * @param roles the targets whose end names the grant (AWS: roles)
 * @param credentials how many credentials of the grant were still valid
 * @param widened whether a target's end had to cover every stint session issued before it
 */
public record Progress(
    String grantId,
    String requestId,
    Instant revokedAt,
    Live stage,
    Optional<String> cloud,
    List<String> roles,
    int credentials,
    boolean widened,
    Optional<String> detail,
    Instant updatedAt) {
  public Progress {
    roles = List.copyOf(roles);
  }

  /** The same revocation at a later stage. */
  Progress at(Live next, Optional<String> why, Instant now) {
    return new Progress(
        grantId, requestId, revokedAt, next, cloud, roles, credentials, widened, why, now);
  }

  /** The same, having widened a target's end. */
  Progress asWidened() {
    return new Progress(
        grantId, requestId, revokedAt, stage, cloud, roles, credentials, true, detail, updatedAt);
  }
}
