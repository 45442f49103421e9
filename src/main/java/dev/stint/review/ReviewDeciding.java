package dev.stint.review;

import dev.stint.access.Caller;
import dev.stint.access.Leavers;
import dev.stint.error.StintException;
import dev.stint.identity.Person;
import dev.stint.policy.Decision;
import dev.stint.policy.PolicyEvaluator;
import dev.stint.policy.PolicyInForce;
import dev.stint.policy.ReviewRights;
import dev.stint.policy.ReviewRule;
import dev.stint.review.ReviewItem.Choice;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Deciding a review's items, by its reviewers or by its due date, and what a decision does, in one
 * transaction under the review's row lock: each item recorded ({@code review.decided}); a removal
 * suspends the person's eligibility for the profile ({@code eligibility.suspended}) and ends their
 * live grants and pending requests of it through {@link Leavers#endOn} (the normal revocation, from
 * the outbox); keeping someone a review had suspended restores them ({@code eligibility.restored});
 * the review closes ({@code review.closed}) once nothing is left undecided. A reviewer's decisions
 * are all or nothing: one refused item refuses them all.
 */
final class ReviewDeciding {
  /** Items one call decides at most. */
  static final int MAX_ITEMS = Candidates.MAX_PEOPLE;

  /** Reviews one overdue round closes at most; the next round takes the rest. */
  static final int OVERDUE_ROUND = 10;

  /** A comment's most characters, on one line. */
  static final int MAX_COMMENT = 500;

  private final Pool pool;
  private final PolicyInForce policies;
  private final ReviewAudit audit;
  private final Leavers leavers;
  private final Clock clock;

  ReviewDeciding(ReviewParts parts, Leavers leavers) {
    this.pool = parts.pool();
    this.policies = parts.policies();
    this.audit = parts.audit();
    this.clock = parts.clock();
    this.leavers = leavers;
  }

  /** {@code caller}'s decisions on review {@code id}: every one taken, or none. */
  Future<Review> decide(Caller caller, String id, List<ReviewerChoice> asked) {
    try {
      checked(asked);
    } catch (StintException e) {
      return Future.failedFuture(e);
    }
    List<Leavers.Ended> ended = new ArrayList<>();
    return pool.withTransaction(
            conn ->
                ReviewStore.locked(conn, id)
                    .compose(found -> mayDecide(caller, id, found, asked))
                    .compose(
                        r ->
                            apply(
                                conn,
                                new Applying(Optional.of(caller), Review.Closed.How.DECIDED),
                                r,
                                decisions(caller, asked),
                                ended)))
        .onSuccess(x -> ended.forEach(leavers::committed));
  }

  /** The asked items as decisions made now by {@code caller}. */
  private List<Decided> decisions(Caller caller, List<ReviewerChoice> asked) {
    Instant now = clock.instant();
    return asked.stream()
        .map(
            a ->
                new Decided(
                    a.person(),
                    new ReviewItem.Decision(
                        a.choice(), Optional.of(caller.person()), now, a.comment(), false)))
        .toList();
  }

  /** A person's item and the decision it gets. */
  record Decided(Person person, ReviewItem.Decision decision) {}

  private static void checked(List<ReviewerChoice> asked) {
    if (asked.isEmpty()) {
      throw StintException.invalid("'items' names no decision");
    }
    if (asked.size() > MAX_ITEMS) {
      throw StintException.invalid("at most " + MAX_ITEMS + " items per call");
    }
    Set<String> seen = new HashSet<>();
    for (ReviewerChoice a : asked) {
      if (!seen.add(a.person().issuer() + "\n" + a.person().subject())) {
        throw StintException.invalid(
            "'items' names " + a.person().subject() + " of " + a.person().issuer() + " twice");
      }
      a.comment()
          .filter(c -> c.length() > MAX_COMMENT || c.chars().anyMatch(Character::isISOControl))
          .ifPresent(
              c -> {
                throw StintException.invalid(
                    "a comment is one line of at most "
                        + MAX_COMMENT
                        + " characters, without control characters");
              });
    }
  }

  /**
   * The review, if {@code caller} may decide each asked item: a reviewer of its profile under the
   * policy in force, the review open, each person under review, none of them the caller, none
   * decided yet.
   */
  private Future<Review> mayDecide(
      Caller caller, String id, Optional<Review> found, List<ReviewerChoice> asked) {
    if (found.isEmpty()) {
      return Future.failedFuture(StintException.notFound("no access review " + id));
    }
    Review r = found.get();
    ReviewRights may =
        new PolicyEvaluator(policies.current()).reviewRights(caller.principal(), clock.instant());
    Decision reviewer = may.mayDecideIn(r.profile());
    if (!reviewer.allowed()) {
      // Who may not read the review learns nothing of it, not even its profile.
      return Future.failedFuture(
          may.mayReadAll().allowed()
              ? reviewer.refusal()
              : StintException.notFound("no access review " + id));
    }
    if (r.state() == Review.State.CLOSED) {
      return Future.failedFuture(
          StintException.conflict("access review " + id + " is closed; nothing more is decided"));
    }
    for (ReviewerChoice a : asked) {
      Optional<ReviewItem> item = r.item(a.person());
      String who = a.person().subject() + " of " + a.person().issuer();
      if (item.isEmpty()) {
        return Future.failedFuture(
            StintException.notFound("access review " + id + " has no item for " + who));
      }
      // Possibly the caller, through another issuer with the same email, counts as the caller.
      Decision notOwn = may.mayDecide(item.get().person());
      if (!notOwn.allowed()) {
        return Future.failedFuture(notOwn.refusal());
      }
      if (item.get().decision().isPresent()) {
        return Future.failedFuture(
            StintException.conflict(
                who
                    + " was decided already ("
                    + item.get().decision().get().choice().code()
                    + ")"));
      }
    }
    return Future.succeededFuture(r);
  }

  /**
   * Records each decision and does what it does, then closes the review if nothing is left
   * undecided; the grants ended are added to {@code ended} for after the commit.
   */
  /** Who decides ({@code by}, none for the due date), and how the review closes if it does. */
  private record Applying(Optional<Caller> by, Review.Closed.How how) {}

  private Future<Review> apply(
      SqlConnection conn,
      Applying applying,
      Review r,
      List<Decided> decided,
      List<Leavers.Ended> ended) {
    Future<Void> chain = Future.succeededFuture();
    for (Decided d : decided) {
      ReviewItem item = r.item(d.person()).orElseThrow();
      chain = chain.compose(x -> one(conn, applying.by(), r, item, d.decision(), ended));
    }
    return chain
        .compose(x -> ReviewStore.load(conn, r.id()))
        .compose(after -> closeIfDecided(conn, applying, after.orElseThrow()));
  }

  private Future<Void> one(
      SqlConnection conn,
      Optional<Caller> by,
      Review r,
      ReviewItem item,
      ReviewItem.Decision d,
      List<Leavers.Ended> ended) {
    Person person = item.person();
    return ReviewStore.decide(conn, r.id(), person, d)
        .compose(
            recorded ->
                recorded
                    ? audit.decided(by, r, item, d)
                    : Future.failedFuture(
                        StintException.conflict(person.subject() + " was decided already")))
        .compose(
            x ->
                d.choice() == Choice.REMOVE
                    ? suspend(conn, by, r, person, ended)
                    // Only a reviewer's keep lifts a suspension: silence never restores anyone.
                    : d.overdue() ? Future.<Void>succeededFuture() : keep(conn, by, r, person));
  }

  private Future<Void> suspend(
      SqlConnection conn, Optional<Caller> by, Review r, Person person, List<Leavers.Ended> ended) {
    Instant now = clock.instant();
    return Suspensions.suspend(conn, person, r.profile(), r.id(), now)
        .compose(
            fresh ->
                leavers
                    .endOn(
                        conn,
                        person,
                        r.profile(),
                        Leavers.Leaving.review(
                            "removed from profile " + r.profile() + " by access review " + r.id(),
                            r.id()))
                    .compose(
                        done -> {
                          ended.add(done);
                          return fresh
                              ? audit.suspended(by, r, person, done.grantsRevoked())
                              : Future.<Void>succeededFuture();
                        }));
  }

  private Future<Void> keep(SqlConnection conn, Optional<Caller> by, Review r, Person person) {
    return Suspensions.restore(
            conn,
            person,
            r.profile(),
            new Suspensions.Lifter(Optional.empty(), Optional.of(r.id())),
            clock.instant())
        .compose(
            lifted ->
                lifted.isEmpty()
                    ? Future.<Void>succeededFuture()
                    : audit.restored(
                        by, r.profile(), person, lifted.get().reviewId(), Optional.of(r.id())));
  }

  private Future<Review> closeIfDecided(SqlConnection conn, Applying applying, Review r) {
    if (!r.undecided().isEmpty()) {
      return Future.succeededFuture(r);
    }
    Instant now = clock.instant();
    return ReviewStore.close(conn, r.id(), now, applying.how())
        .compose(
            closed ->
                closed
                    ? audit.closed(applying.by(), r, applying.how())
                    : Future.<Void>succeededFuture())
        .map(x -> r.closed(now, applying.how()));
  }

  /**
   * One round of due reviews: in each, every undecided item becomes what its review recorded for an
   * overdue item ({@code keep}, or {@code suspend}: a removal), then it closes. Answers how many
   * closed.
   */
  Future<Integer> overdue() {
    return overdue(0);
  }

  /** Each due review closed in a transaction of its own, up to {@link #OVERDUE_ROUND}. */
  private Future<Integer> overdue(int closed) {
    if (closed == OVERDUE_ROUND) {
      return Future.succeededFuture(closed);
    }
    Instant now = clock.instant();
    List<Leavers.Ended> ended = new ArrayList<>();
    return pool.withTransaction(
            conn -> ReviewStore.due(conn, now, 1).compose(ids -> closeEach(conn, ids, now, ended)))
        .onSuccess(x -> ended.forEach(leavers::committed))
        .compose(n -> n == 0 ? Future.succeededFuture(closed) : overdue(closed + n));
  }

  private Future<Integer> closeEach(
      SqlConnection conn, List<String> ids, Instant now, List<Leavers.Ended> ended) {
    Future<Integer> chain = Future.succeededFuture(0);
    for (String id : ids) {
      chain =
          chain.compose(
              n ->
                  ReviewStore.load(conn, id)
                      .compose(r -> closeOverdue(conn, r.orElseThrow(), now, ended))
                      .map(x -> n + 1));
    }
    return chain;
  }

  private Future<Review> closeOverdue(
      SqlConnection conn, Review r, Instant now, List<Leavers.Ended> ended) {
    Choice choice = r.whenOverdue() == ReviewRule.WhenOverdue.SUSPEND ? Choice.REMOVE : Choice.KEEP;
    List<Decided> decided =
        r.undecided().stream()
            .map(
                i ->
                    new Decided(
                        i.person(),
                        new ReviewItem.Decision(
                            choice,
                            Optional.empty(),
                            now,
                            Optional.of("undecided when the review was due"),
                            true)))
            .toList();
    return apply(
        conn, new Applying(Optional.empty(), Review.Closed.How.OVERDUE), r, decided, ended);
  }
}
