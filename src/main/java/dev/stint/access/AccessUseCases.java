package dev.stint.access;

import dev.stint.audit.AuditLog;
import dev.stint.facts.FactSource;
import dev.stint.outbox.Committed;
import dev.stint.outbox.Outbox;
import dev.stint.policy.PolicyInForce;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The requests use cases assembled over one core, each handed out as the port its callers need:
 * {@link Requests} and {@link Decisions} to the routes, pages and notifiers, {@link Grants} to the
 * issuance pipeline, {@link Sweeps} to the timers, {@link Leavers} to the directory's
 * deprovisioning, {@link Bundles} to the routes and pages that file bundles, and {@link VoterFacts}
 * to extensions. Only {@code app} holds this class (and tests); the core below it never sees it
 * ({@code AccessPortsTest}).
 */
public final class AccessUseCases {
  private final AccessCore core;
  private final RequestDesk desk;
  private final GrantDesk grants;
  private final RequestDeciding deciding;
  private final RequestSweeps sweeps;

  /**
   * What the use cases are kept in: the database's {@code pool}, where the grant lookups each
   * issuance makes run ({@code reads}: {@link dev.stint.db.Database#pipelined()} in the server),
   * the outbox each change's effects are written to in its transaction, and whose eligibility a
   * review holds (asked in each request's insert, which then files nothing for them).
   */
  public record Footing(
      Pool pool, SqlClient reads, Outbox<RequestListener.Change> outbox, EligibilityHolds holds) {
    /** On an outbox of its own, nobody held. */
    public Footing(Pool pool, SqlClient reads) {
      this(pool, reads, new Outbox<>(pool));
    }

    /** Nobody held. */
    public Footing(Pool pool, SqlClient reads, Outbox<RequestListener.Change> outbox) {
      this(pool, reads, outbox, EligibilityHolds.NONE);
    }
  }

  /**
   * The knobs the server sets: how long a pending request waits for a decision, and how long before
   * a grant's end its holder is reminded.
   */
  public record Settings(Duration reviewTimeout, Duration expiryReminder) {
    /** The server's defaults: a day's wait, a reminder ten minutes before the end. */
    public static final Settings DEFAULTS =
        new Settings(AccessSettings.DEFAULT_REVIEW_TIMEOUT, AccessSettings.DEFAULT_EXPIRY_REMINDER);
  }

  /** With the server's default settings, looking no facts up. */
  public AccessUseCases(Footing footing, PolicyInForce policies, AuditLog audit, Clock clock) {
    this(footing, policies, audit, Settings.DEFAULTS, clock, FactSource.NONE);
  }

  /** With {@code facts}, where the facts the policy reads are looked up. */
  public AccessUseCases(
      Footing footing,
      PolicyInForce policies,
      AuditLog audit,
      Settings settings,
      Clock clock,
      FactSource facts) {
    this(
        new AccessStore(footing.pool(), footing.reads(), footing.outbox(), footing.holds()),
        policies,
        new AccessAudit(audit),
        new AccessSettings(
            settings.reviewTimeout(),
            AccessSettings.DEFAULT_MAX_SCHEDULE_AHEAD,
            settings.expiryReminder()),
        clock,
        facts);
  }

  AccessUseCases(
      AccessStore store,
      PolicyInForce policies,
      AccessAudit audit,
      AccessSettings settings,
      Clock clock) {
    this(store, policies, audit, settings, clock, FactSource.NONE);
  }

  AccessUseCases(
      AccessStore store,
      PolicyInForce policies,
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
    RequestFiling filing = new RequestFiling(core);
    this.desk = new RequestDesk(core, filing);
    this.grants = new GrantDesk(core, filing, desk);
    this.deciding = new RequestDeciding(core);
    this.sweeps = new RequestSweeps(core);
  }

  /** Filing and reading requests. */
  public Requests requests() {
    return desk;
  }

  /** What the issuance pipeline asks of requests and grants. */
  public Grants grants() {
    return grants;
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
    return new RequestLeaving(core.store(), core.audit(), this::now, core.feed());
  }

  /**
   * Tells the holders of {@code grantIds} that a revocation widened on {@code role} cut their
   * sessions there: a note on each grant's request, which does not change it. For stint's own use
   * (the revocation's report), not a caller's.
   */
  public Future<Void> sessionsCut(List<String> grantIds, String role) {
    return new GrantNotes(core.store(), core.audit(), this::now, core.feed())
        .sessionsCut(grantIds, role);
  }

  /** The facts of votes decided elsewhere (extensions), as the requests' own votes have them. */
  public VoterFacts voterFacts() {
    return core.lookups().voterFacts(core.store(), core.policies());
  }

  /**
   * Requests for several profiles at once, refused when none of {@code approvers} could approve.
   */
  public Bundles bundles(Approvers approvers) {
    return new BundleRequests(core, approvers);
  }

  /**
   * When request {@code id}'s grant ends, or ended: its revocation when revoked, else its end;
   * empty when it has no grant. For stint's own use (activity), not a caller's.
   */
  public Future<Optional<Instant>> grantEnd(String id) {
    return desk.grantEnd(id);
  }

  /**
   * Adds a listener told of every committed change, in this process (the server's listeners are the
   * outbox's, delivered from its rows).
   */
  void listen(RequestListener listener) {
    core.feed().listen(listener);
  }

  /**
   * An outbox row's change, for its delivery by the outbox worker: the request as it is now, with
   * what the row recorded of the change. Empty when the request no longer exists.
   */
  public Future<Optional<RequestListener.Change>> rebuild(Committed.Recorded recorded) {
    return core.store().rebuild(recorded);
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
