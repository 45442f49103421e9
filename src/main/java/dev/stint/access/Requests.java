package dev.stint.access;

import dev.stint.access.AccessRequest.RequestState;
import dev.stint.db.KeysetCursor;
import dev.stint.identity.Person;
import dev.stint.policy.Escalation;
import dev.stint.policy.RequestRights;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
  Future<Page> page(Caller caller, Filter filter);

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

  /**
   * Which requests to list. Empty {@code states} means every state; {@code requester} narrows to
   * one person's requests; {@code needsReview} to break-glass grants nobody has reviewed yet;
   * {@code after} starts the page after the last request of the previous one.
   */
  record Filter(
      Set<RequestState> states,
      Optional<Person> requester,
      Optional<String> profile,
      boolean needsReview,
      int limit,
      Optional<Cursor> after) {

    public static final int MAX_LIMIT = 500;

    public Filter {
      states = Set.copyOf(states);
      if (limit < 1 || limit > MAX_LIMIT) {
        throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT);
      }
    }

    /** The first page. */
    public Filter(
        Set<RequestState> states,
        Optional<Person> requester,
        Optional<String> profile,
        boolean needsReview,
        int limit) {
      this(states, requester, profile, needsReview, limit, Optional.empty());
    }

    /** The same filter, for the page after {@code cursor}. */
    public Filter after(Cursor cursor) {
      return new Filter(states, requester, profile, needsReview, limit, Optional.of(cursor));
    }
  }

  /**
   * A page of requests and, when more remain, where the next page starts. The cursor follows the
   * last row read, not the last one shown: rows the caller may not see are still passed over.
   */
  record Page(List<AccessRequest> requests, Optional<Cursor> next) {
    public Page {
      requests = List.copyOf(requests);
    }
  }

  /**
   * Where a page of requests ends: the creation time and id of its last row, the order the list is
   * kept in (newest first, then by id). See {@link KeysetCursor} for its text.
   */
  record Cursor(Instant createdAt, String id) {
    private static final String KIND = "req";

    /** The cursor for the page after {@code last}. */
    static Cursor after(AccessRequest last) {
      return new Cursor(last.createdAt(), last.id());
    }

    public String encode() {
      return KeysetCursor.encode(KIND, createdAt, id);
    }

    /** A cursor this server handed out, or {@code invalid} without echoing the input. */
    public static Cursor parse(String cursor) {
      KeysetCursor.Position p = KeysetCursor.parse(KIND, cursor);
      return new Cursor(p.at(), p.id());
    }
  }
}
