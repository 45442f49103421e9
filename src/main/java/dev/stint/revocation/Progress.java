package dev.stint.revocation;

import dev.stint.access.RevocationReach.Live;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * How far one grant's revocation has come: {@code until_deny} while the deny is being written,
 * {@code denied} once IAM holds it on every role, {@code failed} when it could not be written,
 * {@code none} when no credential of the grant was still valid, {@code until_expiry} when those
 * still valid are tokens no cloud can revoke.
 *
 * @param cloud the cloud that ends the grant's sessions on {@code roles}, once there are any
 * @param roles the targets (AWS: roles) whose end names the grant
 * @param credentials how many credentials of the grant were still valid
 * @param widened whether a role's deny had to cover every stint session issued before it
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

  /** The same, having widened a role's deny. */
  Progress asWidened() {
    return new Progress(
        grantId, requestId, revokedAt, stage, cloud, roles, credentials, true, detail, updatedAt);
  }
}
