package dev.stint.access;

import dev.stint.facts.FactSource;
import dev.stint.policy.PolicyStore;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * The requests use cases assembled over one core, each handed out as the port its callers need:
 * {@link Requests} and {@link Decisions} to the routes, pages and notifiers, {@link Grants} to the
 * issuance pipeline, {@link Sweeps} to the timers, {@link Leavers} to the directory's
 * deprovisioning, {@link GrantNotes} to the revocation and {@link VoterFacts} to extensions. Only
 * {@code app} holds this class (and tests); the core below it never sees it ({@code
 * AccessPortsTest}).
 */
public final class AccessUseCases {
  private final AccessCore core;
  private final RequestDesk desk;
  private final RequestDeciding deciding;
  private final RequestSweeps sweeps;

  public AccessUseCases(
      AccessStore store,
      PolicyStore policies,
      AccessAudit audit,
      AccessSettings settings,
      Clock clock) {
    this(store, policies, audit, settings, clock, FactSource.NONE);
  }

  /** With {@code facts}, where the facts the policy reads are looked up. */
  public AccessUseCases(
      AccessStore store,
      PolicyStore policies,
      AccessAudit audit,
      AccessSettings settings,
      Clock clock,
      FactSource facts) {
    this.core =
        new AccessCore(
            store,
            audit,
            policies,
            settings,
            clock,
            new FactLookups(facts, clock),
            new ChangeFeed(),
            new RevokeTurns());
    this.desk = new RequestDesk(core);
    this.deciding = new RequestDeciding(core);
    this.sweeps = new RequestSweeps(core);
  }

  /** Filing and reading requests. */
  public Requests requests() {
    return desk;
  }

  /** What the issuance pipeline asks of requests and grants. */
  public Grants grants() {
    return desk;
  }

  /** Deciding on requests and revoking grants. */
  public Decisions decisions() {
    return deciding;
  }

  /** The timers' rounds. */
  public Sweeps sweeps() {
    return sweeps;
  }

  /** Ending what a person the directory deprovisioned holds, in the directory's transaction. */
  public Leavers leavers() {
    return new Leavers(core.store(), core.audit(), this::now, core.feed());
  }

  /** Notes recorded on grants' requests without changing them (sessions a revocation cut). */
  public GrantNotes notes() {
    return new GrantNotes(core.store(), core.audit(), this::now, core.feed());
  }

  /** The facts of votes decided elsewhere (extensions), as the requests' own votes have them. */
  public VoterFacts voterFacts() {
    return core.lookups().voterFacts(core.store(), core.policies());
  }

  /**
   * Requests for several profiles at once, refused when none of {@code approvers} could approve.
   */
  public BundleRequests bundleRequests(Approvers approvers) {
    return new BundleRequests(core, approvers);
  }

  /**
   * When request {@code id}'s grant ends, or ended: its revocation when revoked, else its end;
   * empty when it has no grant. For stint's own use (activity), not a caller's.
   */
  public Future<Optional<Instant>> grantEnd(String id) {
    return desk.grantEnd(id);
  }

  /** Adds a listener told of every committed change (notifications, cloud-side revocation). */
  public void listen(RequestListener listener) {
    core.feed().listen(listener);
  }

  /** What to run once changes have committed: the outbox worker's poke, in the server. */
  public void afterCommit(Runnable run) {
    core.feed().afterCommit(run);
  }

  /** Slows a person's revocations of their own grants as {@code pace} says (the server's). */
  public void pace(RevocationPace pace) {
    deciding.pace(pace);
  }

  private Instant now() {
    return Act.now(core.clock());
  }
}
