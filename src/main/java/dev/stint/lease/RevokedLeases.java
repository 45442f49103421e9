package dev.stint.lease;

import io.vertx.core.Future;
import java.util.List;

/** What the revocation of a lease's sessions asks: which of a request's leases were revoked. */
public interface RevokedLeases {
  /**
   * The ids of request {@code requestId}'s leases revoked on their own, whatever their sessions.
   */
  Future<List<String>> revokedOf(String requestId);
}
