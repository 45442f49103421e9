package dev.stint.agent;

import dev.stint.access.Caller;
import dev.stint.identity.Principal;
import io.vertx.core.Future;

/**
 * An agent token's bearer, as the API's authentication resolves it: told by the token's shape,
 * found by its SHA-256, and admitted only while its agent is neither expired nor revoked, as that
 * agent ({@link Agent#principal}).
 */
public interface AgentBearers {
  /** Whether {@code bearer} has an agent token's shape, and is worth a lookup. */
  boolean shaped(String bearer);

  /** Whom a refusal names before the token is matched to its agent. */
  Principal unverified();

  /**
   * The agent a token stands for; fails {@code unauthenticated} for a token stint does not keep, or
   * whose agent expired or was revoked, recorded as {@code agent.refused}.
   */
  Future<Principal> resolve(String token, Caller bearer);
}
