package dev.stint.finding;

import dev.stint.access.Caller;
import dev.stint.access.Requests;
import dev.stint.error.StintException;
import dev.stint.lease.LeaseViews;
import dev.stint.policy.Decision;
import dev.stint.policy.PolicyInForce;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Reading findings, for the API, the CLI and the pages: a request's and a task lease's for whoever
 * may see the request (exactly as the request itself, {@link Requests#get}: the holder, its
 * approvers, auditors and admins; anyone else is answered as if it did not exist), and every
 * finding for the policy's auditors only. Each refusal is recorded ({@code finding.refused}; a
 * lease the caller may not see, {@code lease.refused}).
 */
public final class FindingReading {
  private final Requests requests;
  private final LeaseViews leases;
  private final FindingStore store;
  private final PolicyInForce policies;
  private final FindingAudit audit;
  private final Clock clock;

  FindingReading(
      Requests requests,
      LeaseViews leases,
      FindingStore store,
      PolicyInForce policies,
      FindingAudit audit,
      Clock clock) {
    this.requests = requests;
    this.leases = leases;
    this.store = store;
    this.policies = policies;
    this.audit = audit;
    this.clock = clock;
  }

  /** Request {@code requestId}'s findings, newest first, if the caller may see the request. */
  public Future<List<Finding>> ofRequest(Caller caller, String requestId) {
    return requests
        .get(caller, requestId)
        .recover(e -> audit.refused(caller, "read", Optional.of(requestId), e))
        .compose(r -> store.ofRequest(r.id()));
  }

  /** Task lease {@code leaseId}'s findings, newest first, if the caller may see its request. */
  public Future<List<Finding>> ofLease(Caller caller, String leaseId) {
    return leases.get(caller, leaseId).compose(shown -> store.ofLease(shown.lease().id()));
  }

  /** The findings a query asked for, with the query as read. */
  public record Listed(FindingQuery query, FindingPage page) {}

  /**
   * Every finding the query asks for, for the policy's auditors; {@code forbidden} else, recorded.
   * {@code query} is read only after who is asking has been checked: a bad query is then refused to
   * an auditor alone, and its message (which names the rules) reaches no one else.
   */
  public Future<Listed> all(Caller caller, Supplier<FindingQuery> query) {
    Decision may = policies.evaluator().mayReadAudit(caller.principal(), clock.instant());
    if (!may.allowed()) {
      return audit.refused(
          caller, "list", Optional.empty(), StintException.forbidden(may.reason()));
    }
    return Future.succeededFuture()
        .map(x -> query.get())
        .compose(asked -> store.since(asked).map(page -> new Listed(asked, page)));
  }
}
