package dev.stint.access;

import dev.stint.policy.Escalation;
import dev.stint.policy.RequestRights;
import io.vertx.core.Future;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Filing and reading requests, for the routes and pages that act for a person ({@code http}, {@code
 * web}) and the notifiers that show requests ({@code notify}). What a caller may see and do is
 * answered here; deciding is {@link Decisions}', and asks again under the row lock.
 */
public interface Requests {
  /** Files a request; auto-approval and break-glass approve it at once. */
  Future<AccessRequest> create(Caller caller, NewRequest asked);

  /** Request {@code id}, if the caller may see it; otherwise {@code not_found}. */
  Future<AccessRequest> get(Caller caller, String id);

  /**
   * The requests the caller may see (their own, those they may decide, all for auditors), and where
   * the next page starts: after the last row read, seen or not.
   */
  Future<RequestPage> page(Caller caller, RequestFilter filter);

  /**
   * What the policy in force lets the caller do with this request: see, approve, deny, cancel,
   * revoke, review, extend. For choosing buttons; a decision asks again under the row lock.
   */
  RequestRights rights(Caller caller, AccessRequest r);

  /**
   * The escalation the policy in force applies to request {@code r} now: empty until it has waited
   * its profile's {@code escalate_after}, or when the profile does not escalate.
   */
  Optional<Escalation> escalated(AccessRequest r);

  /** The bundle with id {@code requestId}, or the one that request was made in, if any. */
  Future<Optional<BundleStore.Ref>> bundleOf(String requestId);

  /** The bundles of those of {@code requestIds} made in one, by request id. */
  Future<Map<String, BundleStore.Ref>> bundlesOf(Collection<String> requestIds);

  /**
   * Runs {@code revoke}, the caller's revoke of a task lease, once their earlier revokes on this
   * replica have ended: the same turn their grants' revokes take ({@link Decisions#decide}), so
   * that a revoke paced on what the ledger holds reads what the ones before it committed.
   */
  <T> Future<T> inRevokeTurn(Caller caller, Supplier<Future<T>> revoke);

  /**
   * The requests decided together with {@code r}: its bundle's, in order, or {@code r} alone. For
   * the notifiers, which act for no caller.
   */
  Future<List<AccessRequest>> decidedWith(AccessRequest r);
}
