package dev.stint.lease;

import dev.stint.access.Caller;
import dev.stint.identity.Principal;
import io.vertx.core.Future;

/**
 * A lease token's bearer, as the API's authentication resolves it: told by the token's shape (no
 * lookup for a bearer of another shape), found by the token's SHA-256, and named as the lease it
 * belongs to. Whether the lease may still mint, and for which lease it is asked, is the issuance's
 * to judge ({@link LeaseMints}).
 */
public interface LeaseBearers {
  /** Whether {@code bearer} has a lease token's shape, and is worth a lookup. */
  boolean shaped(String bearer);

  /** Whom a refusal names before a token is matched to its lease: the lease issuer, unverified. */
  Principal unverified();

  /**
   * The caller a lease token stands for: its lease, named as the audit names a lease's bearer.
   * Fails {@code unauthenticated} for a token stint does not keep, recorded ({@code lease.refused})
   * with {@code bearer}'s address, as {@link #unverified}.
   */
  Future<Principal> resolve(String token, Caller bearer);
}
