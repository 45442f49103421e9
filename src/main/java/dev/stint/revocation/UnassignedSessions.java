package dev.stint.revocation;

import io.vertx.core.Future;
import java.time.Instant;

/**
 * For the package that deletes the assignments it made ({@code assignment}): the sessions a cloud
 * issued itself on an assignment stint has just seen deleted, which the deletion does not end (an
 * IAM Identity Center user's portal sessions). A revoke denies those issued before it at once
 * ({@link PortalSessions}), but the person may take more until the cloud has finished the deletion,
 * and an expiry denies none; so when stint confirms the deletion, the user's sessions of the role
 * issued before then are denied too, recorded as the user's cutoff on its target (moving only
 * forward) and written with every other revocation on that target, in the target's turn.
 */
public interface UnassignedSessions {
  /**
   * Denies {@code held}'s user's sessions of its role issued before {@code issuedBefore}, until
   * {@code held.until()}, writing its target now. Fails when the deny is not written (the cutoff
   * stays recorded, so the next write of the target renders it too): the caller must try again.
   */
  Future<Void> deny(
      String requestId, String grantId, PortalSessions.Held held, Instant issuedBefore);
}
