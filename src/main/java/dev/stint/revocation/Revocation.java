package dev.stint.revocation;

import java.util.List;

/**
 * The revocation that ends the targets, as its events name it: the grant's, with the leases whose
 * revocation it is when it is theirs ({@code leaseIds} empty for the grant's own).
 */
record Revocation(String requestId, String grantId, List<String> leaseIds) {
  Revocation {
    leaseIds = List.copyOf(leaseIds);
  }

  static Revocation ofGrant(String requestId, String grantId) {
    return new Revocation(requestId, grantId, List.of());
  }
}
