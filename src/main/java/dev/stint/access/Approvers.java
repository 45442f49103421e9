package dev.stint.access;

import dev.stint.access.AccessRequest.RequestState;
import dev.stint.identity.Directory;
import dev.stint.identity.Person;
import dev.stint.identity.Principal;
import dev.stint.people.PeopleSeen;
import dev.stint.people.StoredClaims;
import dev.stint.policy.Policy;
import dev.stint.policy.PolicyInForce;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Who can approve a request: the people stint has seen within {@link PeopleSeen#SEEN_WITHIN} whose
 * claims, as last verified, satisfy the request's approver rule (or its escalation) under the
 * policy in force, most recently seen first, without the requester and those who already voted. It
 * is a hint for the requester and the notifiers: a vote is judged afresh when it is cast.
 */
public final class Approvers {
  /**
   * How many of the most recently seen people are considered: each costs an evaluation of every
   * rule involved, so they are judged on a worker thread, never on an event loop, where a thousand
   * rule evaluations would hold up every other request on it.
   */
  static final int CONSIDERED = 1_000;

  /**
   * Threads of the pool the judging runs on: a pool of its own, so that many page views cannot
   * queue ahead of the audit sinks, checkpoints and Slack calls on Vert.x's shared worker pool.
   */
  static final int THREADS = 2;

  private final WorkerExecutor workers;
  private final PeopleSeen seen;
  private final PolicyInForce policies;
  private final Directory directory;
  private final Clock clock;

  /** {@code directory}: people are judged by its groups, and those it deprovisioned never count. */
  public Approvers(
      Vertx vertx, PeopleSeen seen, PolicyInForce policies, Directory directory, Clock clock) {
    this.workers = vertx.createSharedWorkerExecutor("stint-approvers", THREADS);
    this.seen = seen;
    this.policies = policies;
    this.directory = directory;
    this.clock = clock;
  }

  /** Someone who could approve, and when stint last saw them. */
  public record Candidate(Person person, Instant seenAt) {}

  /** The people who could approve {@code r} now; empty once it no longer waits for votes. */
  public Future<List<Candidate>> of(AccessRequest r) {
    return ofAll(List.of(r));
  }

  /**
   * The people whose vote would count on every one of {@code rs} (a bundle: one vote is cast on all
   * of them); empty once any no longer waits for votes.
   */
  public Future<List<Candidate>> ofAll(List<AccessRequest> rs) {
    if (rs.stream().anyMatch(r -> r.state() != RequestState.PENDING)) {
      return Future.succeededFuture(List.of());
    }
    Instant now = clock.instant();
    return seen.recent(now.minus(PeopleSeen.SEEN_WITHIN), CONSIDERED)
        .compose(people -> workers.executeBlocking(() -> judge(rs, people, now), false));
  }

  /** Those of {@code people} whose vote would count on every one of {@code rs}, on a worker. */
  List<Candidate> judge(List<AccessRequest> rs, List<PeopleSeen.Seen> people, Instant now) {
    if (Context.isOnEventLoopThread()) {
      throw new IllegalStateException("approvers must be judged off the event loop");
    }
    Policy policy = policies.current();
    AccessRules rules = new AccessRules(policy, now);
    List<Candidate> out = new ArrayList<>();
    for (PeopleSeen.Seen s : people) {
      boolean all =
          rs.stream()
              .allMatch(
                  r ->
                      couldApprove(rules, policy, r, s.principal(), s.issuer(), s.subject())
                          .isPresent());
      if (all) {
        StoredClaims.principal(s.principal(), policy::issuer, directory)
            .ifPresent(p -> out.add(new Candidate(p.person(), s.seenAt())));
      }
    }
    return out;
  }

  /**
   * Whether the person with these stored claims could cast a vote that counts on {@code r}: their
   * issuer still vouches for them, the rule admits them, and they have not voted.
   */
  public boolean couldApprove(AccessRequest r, JsonObject stored, String issuer, String subject) {
    Policy policy = policies.current();
    return couldApprove(
            new AccessRules(policy, clock.instant()), policy, r, stored, issuer, subject)
        .isPresent();
  }

  /**
   * Whether the person with these stored claims could revoke {@code r}'s grant other than as its
   * holder: their issuer still vouches for them and the policy lets them revoke it (an approver of
   * its profile, an admin). For whom to tell of a finding on it: a revoke is judged when it is
   * made.
   */
  public boolean couldRevoke(AccessRequest r, JsonObject stored, String issuer, String subject) {
    Policy policy = policies.current();
    AccessRules rules = new AccessRules(policy, clock.instant());
    return StoredClaims.principal(stored, issuer, subject, policy::issuer, directory)
        .filter(p -> !p.person().is(r.requester()))
        .filter(p -> rules.rights(p, r).mayRevoke().allowed())
        .isPresent();
  }

  private Optional<Principal> couldApprove(
      AccessRules rules,
      Policy policy,
      AccessRequest r,
      JsonObject stored,
      String issuer,
      String subject) {
    return StoredClaims.principal(stored, issuer, subject, policy::issuer, directory)
        .filter(p -> !r.hasVoted(p.person()))
        .filter(p -> rules.rights(p, r).couldApprove());
  }
}
