package dev.stint.lease;

import dev.stint.access.Caller;
import io.vertx.core.Future;
import java.util.List;

/**
 * Reading task leases, for whoever may see their request (the holder, the profile's approvers,
 * auditors and admins): the routes, the pages, and the findings raised on a lease's calls. A lease
 * one may not see is answered as one that does not exist, and recorded as {@code lease.refused}.
 */
public interface LeaseViews {
  /** Lease {@code id} with its request and the credentials minted on it. */
  Future<LeaseShown> get(Caller caller, String id);

  /** The leases of request {@code requestId}, oldest first. */
  Future<List<Lease>> ofRequest(Caller caller, String requestId);
}
