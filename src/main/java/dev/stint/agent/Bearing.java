package dev.stint.agent;

import dev.stint.access.Caller;
import dev.stint.error.ErrorCode;
import dev.stint.error.StintException;
import dev.stint.identity.Principal;
import dev.stint.lease.Lease;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An agent token resolved: its shape names the agent, its SHA-256 must find that agent, and the
 * agent must be live now; else {@code unauthenticated}, recorded as {@code agent.refused} by an
 * unverified bearer, so nobody writes refusals in an agent's name with a token of its shape.
 */
final class Bearing implements AgentBearers {
  static final String UNVERIFIED = "unverified";

  private final AgentStore store;
  private final AgentAudit audit;
  private final Clock clock;

  Bearing(AgentStore store, AgentAudit audit, Clock clock) {
    this.store = store;
    this.audit = audit;
    this.clock = clock;
  }

  @Override
  public boolean shaped(String bearer) {
    return AgentTokens.looksLike(bearer);
  }

  @Override
  public Principal unverified() {
    return new Principal(
        "agent",
        Lease.AGENT_ISSUER,
        UNVERIFIED,
        Optional.empty(),
        List.of(),
        Map.of(),
        Instant.EPOCH,
        Optional.empty());
  }

  @Override
  public Future<Principal> resolve(String token, Caller bearer) {
    Optional<String> named = AgentTokens.agentOf(token);
    Instant now = clock.instant();
    Future<Agent> found =
        named.isEmpty()
            ? Future.failedFuture(refused())
            : store
                .byToken(AgentTokens.hash(token))
                .map(
                    stored ->
                        stored
                            .filter(a -> a.id().equals(named.get()) && a.liveAt(now))
                            .orElseThrow(Bearing::refused));
    return found
        .map(Agent::principal)
        .recover(e -> audit.refused(bearer, "token", named.orElse(""), e));
  }

  private static StintException refused() {
    return new StintException(
        ErrorCode.UNAUTHENTICATED,
        "the agent token is unknown, or its agent expired or was revoked: its person enrolls the"
            + " agent again");
  }
}
