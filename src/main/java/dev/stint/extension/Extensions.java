package dev.stint.extension;

import dev.stint.access.AccessRequest;
import dev.stint.access.Action;
import dev.stint.access.Caller;
import dev.stint.policy.RequestRights;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Extensions as people reach them from the routes and the pages: asking, deciding, reading, and
 * what the caller may do with one; every refusal recorded. The policy answers who may ({@link
 * RequestRights}), a request's vote rules whether a vote counts ({@code access.Vote}).
 */
public interface Extensions {
  /** The holder of the request's grant asks for {@code by} more. */
  Future<Extended> extend(Caller caller, String requestId, Duration by, String reason);

  /**
   * Approve, deny or cancel a pending extension, under its request's lock. The policy answers
   * whether the caller may approve or deny; cancelling is the asker's alone, a rule no policy
   * changes ({@link RequestRights#mayCancel} says the same to pages).
   */
  Future<Extended> decide(
      Caller caller, String extensionId, Action action, Optional<String> comment);

  /**
   * The extensions the caller may see (those of requests they may see), newest first, with each
   * grant's current end; only pending ones when {@code pendingOnly}.
   */
  Future<ExtendedPage> list(
      Caller caller, boolean pendingOnly, int limit, Optional<ExtensionCursor> after);

  /** Pending extensions of requests the caller may see, newest first: an approver's queue. */
  Future<List<WaitingExtension>> waiting(Caller caller, int limit);

  /** One request's extensions, oldest first, when the caller may see the request. */
  Future<List<Extension>> ofRequest(Caller caller, AccessRequest request);

  /** Whether the caller could approve or deny {@code e} now; a decision asks again. */
  boolean mayDecide(Caller caller, AccessRequest request, Extension e);

  /** What the policy in force lets the caller do with this request (ask to extend it, ...). */
  RequestRights rights(Caller caller, AccessRequest request);

  /** As {@link #rights(Caller, AccessRequest)}, about extension {@code e} and its asker. */
  RequestRights rights(Caller caller, AccessRequest request, Extension e);
}
