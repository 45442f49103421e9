package dev.stint.lease;

import dev.stint.access.AccessRequest;
import dev.stint.access.Action;
import dev.stint.access.Caller;
import dev.stint.access.Requests;
import dev.stint.access.Vote;
import dev.stint.error.StintException;
import dev.stint.identity.Person;
import dev.stint.identity.Principal;
import dev.stint.policy.LeaseRights;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The vote a lease waits for when its profile asks one ({@code leases.approval: required}): {@code
 * POST /v1/leases/{id}/approve} or {@code /deny}, by an approver of its grant's request as the
 * policy in force says ({@link Vote#refusal}, as for a request, and never the agent it names,
 * {@code policy.LeaseRights}: never the lease's own holder, a step-up profile only after a fresh
 * sign-in). A lease an enrolled agent asked ({@link LeaseAsks}) waits whatever its profile says,
 * and its holder's vote counts there (after a fresh sign-in on a step-up profile): the person whose
 * agent asked approves what it asked; where the profile had its leases wait for an approver when
 * the agent asked, the holder's vote does not count and an approver's decides, as for any lease.
 * One vote decides it. Recorded as {@code lease.approved} or {@code lease.denied}; a refused vote
 * as {@code lease.refused}.
 */
final class LeaseDeciding {
  private static final Vote.Kind LEASE = new Vote.Kind("lease", "a lease");

  private final Requests requests;
  private final LeaseReading reading;
  private final Pool pool;
  private final LeaseAudit audit;
  private final LeaseNews news;
  private final Clock clock;

  LeaseDeciding(
      Requests requests,
      LeaseReading reading,
      Pool pool,
      LeaseAudit audit,
      LeaseNews news,
      Clock clock) {
    this.requests = requests;
    this.reading = reading;
    this.pool = pool;
    this.audit = audit;
    this.news = news;
    this.clock = clock;
  }

  /** Casts {@code action} (approve or deny) on lease {@code id}: the lease as it is after. */
  Future<Lease> decide(Caller caller, String id, Action action, Optional<String> comment) {
    return reading
        .visible(caller, id)
        .compose(seen -> decide(caller, seen.request(), seen.lease(), action, comment))
        .recover(e -> audit.refused(caller, action.code(), "", Optional.of(id), e));
  }

  private Future<Lease> decide(
      Caller caller, AccessRequest r, Lease lease, Action action, Optional<String> comment) {
    Instant now = clock.instant();
    judge(caller, r, lease, action, now);
    return pool.withTransaction(conn -> record(conn, caller, r, lease, action, comment, now))
        .onSuccess(decided -> decided.askedBy().ifPresent(a -> news.committed()));
  }

  /** Refuses the vote, by a StintException, unless it may be cast now. */
  private void judge(Caller caller, AccessRequest r, Lease lease, Action action, Instant now) {
    if (action != Action.APPROVE && action != Action.DENY) {
      throw StintException.invalid("a lease is approved or denied");
    }
    boolean waits = waits(lease, now);
    Vote.Subject subject =
        new Vote.Subject(
            LEASE,
            waits,
            waits ? lease.state().code() : "not waiting",
            lease.holder(),
            lease.profile(),
            List.of());
    // The agent would mint on what it approved: nobody approves their own access.
    new LeaseRights(caller.person()).mayVote(lease.agent()).orRefuse();
    boolean holdersAsk = holdersAsk(lease, caller.person());
    if (holdersAsk && !waits) {
      throw StintException.conflict("lease " + lease.id() + " is not waiting for a vote");
    }
    if (holdersAsk) {
      // Their own vote, on a step-up profile, after a fresh sign-in as any approver's.
      LeaseRights.mayDecideTheirAgentsAsk(requests.rights(caller, r)).orRefuse();
    }
    Optional<Vote.Refusal> refused =
        holdersAsk
            ? Optional.empty()
            : Vote.refusal(subject, action, caller.person(), requests.rights(caller, r));
    if (refused.isPresent()) {
      throw new StintException(refused.get().code(), refused.get().reason());
    }
  }

  /**
   * Whether {@code p}'s vote would count on {@code lease} now, by the rules {@link #judge} applies,
   * for people not at hand to sign in afresh: for choosing whom a chat tells of it. A vote is
   * judged again when it is cast.
   */
  boolean couldApprove(Principal p, AccessRequest r, Lease lease) {
    Person who = p.person();
    if (!waits(lease, clock.instant()) || !new LeaseRights(who).mayVote(lease.agent()).allowed()) {
      return false;
    }
    if (holdersAsk(lease, who)) {
      return true;
    }
    return !who.mightBe(lease.holder())
        && requests.rights(new Caller(p, Optional.empty(), Optional.empty()), r).couldApprove();
  }

  private static boolean waits(Lease lease, Instant now) {
    return lease.state() == Lease.State.PENDING && now.isBefore(lease.window().expiresAt());
  }

  /**
   * A lease an enrolled agent asked waits for its holder at least: their vote counts, unless the
   * profile had its leases wait for an approver when it was asked, which nobody's own vote is.
   */
  private static boolean holdersAsk(Lease lease, Person voter) {
    return lease.askedBy().filter(a -> !a.approverRequired()).isPresent()
        && lease.holder().is(voter);
  }

  /** The vote stored, recorded, and what the agent's ask's messages are to show. */
  private Future<Lease> record(
      SqlConnection conn,
      Caller caller,
      AccessRequest r,
      Lease lease,
      Action action,
      Optional<String> comment,
      Instant now) {
    Person by = caller.person();
    return (action == Action.APPROVE
            ? LeaseStore.approve(conn, lease.id(), by, now)
            : LeaseStore.deny(conn, lease.id(), by, now))
        .compose(
            decided ->
                decided.isEmpty()
                    ? Future.failedFuture(
                        StintException.conflict(
                            "lease " + lease.id() + " is not waiting for a vote"))
                    : audit
                        .decided(caller, decided.get(), action, comment)
                        .compose(
                            x ->
                                news.decided(
                                    conn, r, decided.get(), action == Action.APPROVE, by, now))
                        .map(x -> decided.get()));
  }
}
