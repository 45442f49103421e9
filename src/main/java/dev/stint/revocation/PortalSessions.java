package dev.stint.revocation;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;

/**
 * The sessions of a revoked grant that its cloud issued itself, not stint, and that a deny of the
 * cloud's can still end: an IAM Identity Center grant's sessions taken from the AWS access portal
 * or with {@code aws sso login}, which deleting the assignment does not end. The credentials ledger
 * knows nothing of them; the package that made the grant's access says where they are. These are
 * the sessions issued before the revoke; those issued after it, until the access is gone, are
 * denied through {@link UnassignedSessions} when it is.
 */
public interface PortalSessions {
  /**
   * A revoked grant's user's sessions of {@code role} (in {@code cloud}, as {@code Minters.revoker}
   * names it), issued before the revoke, which may be alive until {@code until}; their deny is
   * written to {@code target} (for IAM Identity Center, the member account's policy that the
   * permission set references, since AWS refuses every write to the role itself).
   */
  record Held(String cloud, String target, String role, String user, Instant until) {}

  /**
   * Where the grant revoked at {@code revokedAt} has such sessions; none for a grant the cloud
   * issued nothing to itself. Fails with a {@code MintException} when where they are cannot be
   * found ({@code retryable} false when an operator must act, as for a role that is not there).
   */
  Future<List<Held>> ofGrant(String grantId, Instant revokedAt);

  /** No cloud issues sessions of its own for stint's grants. */
  PortalSessions NONE = (grantId, revokedAt) -> Future.succeededFuture(List.of());
}
