package dev.stint.http;

import dev.stint.access.Caller;
import dev.stint.agent.AgentBearers;
import dev.stint.identity.Principal;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;

/**
 * An enrolled agent's token ({@code sta_…}, docs/agents.md), taken on the routes {@code stint mcp}
 * calls only: the agent's own ({@code /v1/agent} and below, {@link AgentAskRoutes}) and minting a
 * lease, {@code POST /v1/credentials} naming one (which mints only a lease naming the agent).
 * Anywhere else, {@code 401}: it never approves, votes, reads a request or enrolls.
 */
public final class AgentTokenKind implements OwnTokens {
  private static final String OWN = "/v1/agent";

  private final AgentBearers bearers;

  public AgentTokenKind(AgentBearers bearers) {
    this.bearers = bearers;
  }

  @Override
  public boolean shaped(String bearer) {
    return bearers.shaped(bearer);
  }

  @Override
  public boolean takenOn(RoutingContext ctx) {
    String path = ctx.normalizedPath();
    return path.equals(OWN) || path.startsWith(OWN + "/") || Authentication.mintsOnLease(ctx);
  }

  @Override
  public String elsewhere() {
    return "an agent token is taken only on the agent's own routes (/v1/agent/…) and to mint the"
        + " leases it asked (POST /v1/credentials with {\"lease\": ID})";
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
