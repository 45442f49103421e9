package dev.stint.extension;

import dev.stint.access.AccessRequest;
import dev.stint.access.Act;
import dev.stint.access.Action;
import dev.stint.access.Caller;
import dev.stint.access.RequestListener;
import dev.stint.access.VoterFacts;
import dev.stint.audit.AuditLog;
import dev.stint.identity.Principal;
import dev.stint.policy.PolicyStore;
import dev.stint.policy.RequestRights;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * The extension use cases, each in its own class over one store, one audit and one clock: asking
 * (holder only, {@link ExtensionAsking}), deciding (approve / deny / cancel through the rules a
 * request's votes go through, {@link ExtensionDeciding}), reading ({@link ExtensionReading}), and
 * the sweep that expires extensions whose grant was revoked or ended ({@link ExtensionSweep}).
 * Policy answers who may; {@link ExtensionMachine} decides; {@link ExtensionStore} makes it durable
 * with its audit event; listeners hear about it after the commit ({@link ExtensionNews}).
 */
public final class ExtensionService {
  private final ExtensionStore store;
  private final ExtensionAudit audit;
  private final Clock clock;
  private final ExtensionNews news;
  private final ExtensionAsking asking;
  private final ExtensionDeciding deciding;
  private final ExtensionReading reading;
  private final ExtensionSweep sweep;

  public ExtensionService(ExtensionStore store, PolicyStore policies, AuditLog audit, Clock clock) {
    this(store, policies, audit, clock, VoterFacts.NONE);
  }

  /** With {@code facts}, what the approver rules read about a voter (docs/policies.md, Facts). */
  public ExtensionService(
      ExtensionStore store, PolicyStore policies, AuditLog audit, Clock clock, VoterFacts facts) {
    this.store = store;
    this.audit = new ExtensionAudit(audit);
    this.clock = clock;
    this.news = new ExtensionNews(store, this::now);
    this.asking = new ExtensionAsking(store, policies, this.audit, news, this::now);
    this.deciding =
        new ExtensionDeciding(
            new ExtensionDeciding.Parts(store, this.audit, news, this::now), policies, facts);
    this.reading = new ExtensionReading(store, policies, facts, this::now);
    this.sweep = new ExtensionSweep(store, this.audit, news, this::now);
  }

  /** An extension and the end of its grant after the change. */
  public record Extended(Extension extension, Optional<Instant> grantEndsAt) {}

  /**
   * A page of what the caller may see. It can hold fewer than the page's size, even none, while
   * more remain: the cursor follows every extension read, not only the ones shown.
   */
  public record ExtendedPage(List<Extended> extensions, Optional<ExtensionCursor> next) {}

  /** A pending extension with its request, and whether the caller could decide it now. */
  public record Waiting(Extension extension, AccessRequest request, boolean mayDecide) {}

  public void listen(RequestListener listener) {
    news.listen(listener);
  }

  /** What to run once changes have committed: the outbox worker's poke, in the server. */
  public void afterCommit(Runnable run) {
    news.afterCommit(run);
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  /** The holder of the request's grant asks for {@code by} more. */
  public Future<Extended> extend(Caller caller, String requestId, Duration by, String reason) {
    return asking.extend(caller, requestId, by, reason);
  }

  /**
   * Approve, deny or cancel a pending extension, under its request's lock. The policy answers
   * whether the caller may approve or deny; cancelling is the asker's alone, a rule no policy
   * changes ({@link RequestRights#mayCancel} says the same to pages).
   */
  public Future<Extended> decide(
      Caller caller, String extensionId, Action action, Optional<String> comment) {
    return deciding.decide(caller, extensionId, action, comment);
  }

  /** {@link ExtensionReading#list}. */
  public Future<ExtendedPage> list(
      Caller caller, boolean pendingOnly, int limit, Optional<ExtensionCursor> after) {
    return reading.list(caller, pendingOnly, limit, after);
  }

  /** Pending extensions of requests the caller may see, newest first: an approver's queue. */
  public Future<List<Waiting>> waiting(Caller caller, int limit) {
    return reading.waiting(caller, limit);
  }

  /** One request's extensions, oldest first, when the caller may see the request. */
  public Future<List<Extension>> ofRequest(Caller caller, AccessRequest request) {
    return reading.ofRequest(caller, request);
  }

  /** {@link ExtensionReading#mayDecide}. */
  public boolean mayDecide(Caller caller, AccessRequest request, Extension e) {
    return reading.mayDecide(caller, request, e);
  }

  /** {@link ExtensionReading#couldApprove}. */
  public boolean couldApprove(Principal p, AccessRequest request, Extension e) {
    return reading.couldApprove(p, request, e);
  }

  /** What the policy in force lets the caller do with this request (ask to extend it, ...). */
  public RequestRights rights(Caller caller, AccessRequest request) {
    return reading.rights(caller, request);
  }

  /** As {@link #rights(Caller, AccessRequest)}, about extension {@code e} and its asker. */
  public RequestRights rights(Caller caller, AccessRequest request, Extension e) {
    return reading.rights(caller, request, e);
  }

  /** Expires pending extensions whose grant was revoked or has ended; answers how many. */
  public Future<Integer> sweep() {
    return sweep.sweep();
  }

  /**
   * Ending a deprovisioned person's extensions and their votes on others', in the deprovisioning's
   * transaction; what it changed is told as this service's own changes are.
   */
  public ExtensionLeavers leavers() {
    return new ExtensionLeavers(
        store,
        audit,
        this::now,
        told -> told.forEach(t -> news.tell(t.changed(), t.requestId(), Act.SYSTEM)));
  }
}
