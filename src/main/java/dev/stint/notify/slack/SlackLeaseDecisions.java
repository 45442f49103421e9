package dev.stint.notify.slack;

import dev.stint.access.Action;
import dev.stint.access.Caller;
import io.vertx.core.Future;
import java.util.Optional;

/**
 * The narrow port Slack needs of agents' asks, so notify does not depend on the lease package: read
 * one as it is now, say whose vote would count on it, and decide one by the lease service's own use
 * case (the holder's vote on their agent's ask unless an approver must decide, never the agent's, a
 * step-up profile only after a fresh sign-in, every refusal recorded as {@code lease.refused}).
 */
public interface SlackLeaseDecisions {
  /** The lease as it is now; empty when there is none of that id or no agent asked it. */
  Future<Optional<SlackLease>> find(String leaseId);

  /**
   * Who could cast a vote that counts on it now, by the lease's own rule, judged on a Slack link's
   * stored claims; nobody once it no longer waits. For choosing whom to send it to: a click is
   * judged again.
   */
  Future<SlackApprovers.Counts> voters(String leaseId);

  /** Approve or deny it for {@code caller}; a refusal fails with the service's StintException. */
  Future<Void> decide(Caller caller, String leaseId, Action action);
}
