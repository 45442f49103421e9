package dev.stint.agent;

import dev.stint.access.Caller;
import io.vertx.core.Future;
import java.util.List;

/**
 * What a person does with their agents, from the routes and the CLI: enroll one, list theirs,
 * revoke one (which ends every lease it asked). Each refusal is recorded as {@code agent.refused}.
 */
public interface AgentDesk {
  /** A new agent of the caller's; its token is in the answer only. */
  Future<EnrolledAgent> enroll(Caller caller, NewAgent asked);

  /** The caller's agents, newest first, with what each asked. */
  Future<List<AgentShown>> mine(Caller caller);

  /** Revokes the caller's agent {@code id} and ends every lease it asked: the agent as revoked. */
  Future<Agent> revoke(Caller caller, String id);
}
