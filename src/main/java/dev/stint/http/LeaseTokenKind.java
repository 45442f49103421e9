package dev.stint.http;

import dev.stint.access.Caller;
import dev.stint.identity.Principal;
import dev.stint.lease.LeaseBearers;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;

/**
 * A task lease's token ({@code stl_…}, docs/agents.md), taken on one call only: minting its lease's
 * credentials, {@code POST /v1/credentials} naming a lease. It is resolved by the lease's own port
 * ({@link LeaseBearers}: found by its SHA-256, the caller then its lease); whether it is asked for
 * its own lease, and whether that may still mint, is the issuance's to judge.
 */
public final class LeaseTokenKind implements OwnTokens {
  private final LeaseBearers bearers;

  public LeaseTokenKind(LeaseBearers bearers) {
    this.bearers = bearers;
  }

  @Override
  public boolean shaped(String bearer) {
    return bearers.shaped(bearer);
  }

  @Override
  public boolean takenOn(RoutingContext ctx) {
    return Authentication.mintsOnLease(ctx);
  }

  @Override
  public String elsewhere() {
    return "a lease token mints its lease's credentials only (POST /v1/credentials with"
        + " {\"lease\": ID})";
  }

  @Override
  public Principal unverified() {
    return bearers.unverified();
  }

  @Override
  public Future<Principal> resolve(String bearer, Caller unverified) {
    return bearers.resolve(bearer, unverified);
  }
}
