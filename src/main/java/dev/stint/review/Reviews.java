package dev.stint.review;

import dev.stint.access.Caller;
import dev.stint.access.EligibilityHolds;
import dev.stint.access.Leavers;
import dev.stint.activity.ProfileUsage;
import dev.stint.audit.AuditLog;
import dev.stint.directory.ActiveUsers;
import dev.stint.identity.Directory;
import dev.stint.identity.MatchClaim;
import dev.stint.identity.Person;
import dev.stint.ledger.MintHistory;
import dev.stint.people.PeopleSeen;
import dev.stint.policy.Decision;
import dev.stint.policy.PolicyInForce;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Access reviews, assembled for {@code app}, each kind of caller handed the port it needs: {@link
 * Reviewing} to the routes and pages (opening, {@link ReviewOpening}; reading, {@link
 * ReviewReading}; deciding, {@link ReviewDeciding}; an admin's restore, {@link Restoring}), {@link
 * ReviewSweeps} to the timers (the schedule, the due date, the reviewers told), and the suspensions
 * each request's insert asks ({@link #holds}) to {@code access}. Every refusal is recorded as
 * {@code review.refused} before it is answered.
 */
public final class Reviews implements Reviewing, ReviewSweeps {
  /**
   * Where the people under review come from: the directory's active users when {@code directoryOn}
   * (with {@code directoryIssuer} and {@code matchClaim} to judge them), else the people seen;
   * {@code standing} is what the directory says of each person now.
   */
  public record People(
      ActiveUsers directory,
      PeopleSeen seen,
      Directory standing,
      BooleanSupplier directoryOn,
      Supplier<Optional<String>> directoryIssuer,
      MatchClaim matchClaim) {}

  private final ReviewOpening opening;
  private final ReviewReading reading;
  private final ReviewDeciding deciding;
  private final Restoring restoring;
  private final ReviewAudit audit;
  private final ReviewNotices notices;

  /**
   * What reviews do beyond their own tables: end the grants and requests of those a review removes
   * ({@code leavers}), and tell reviewers of a review opening and nearly due ({@code news}, {@link
   * ReviewNews#NONE} when no notifier is configured).
   */
  public record Effects(Leavers leavers, ReviewNews news) {}

  /**
   * The database, and what it tells of each person's use of a profile ({@code usage}, which knows
   * whether the CloudTrail ingest is on: without it no data event is ever seen).
   */
  public record Stores(Pool pool, ProfileUsage usage) {}

  public Reviews(
      Vertx vertx,
      Stores stores,
      PolicyInForce policies,
      AuditLog log,
      Effects effects,
      People people,
      Clock clock) {
    this.audit = new ReviewAudit(log);
    Pool pool = stores.pool();
    ReviewParts parts =
        new ReviewParts(pool, policies, stores.usage(), new MintHistory(pool), audit, clock);
    Candidates candidates =
        new Candidates(
            new Candidates.Sources(
                people.directory(), people.seen(), people.standing(), people.directoryOn()),
            () -> new DirectoryPrincipals(people.directoryIssuer().get(), people.matchClaim()),
            vertx.createSharedWorkerExecutor("stint-reviews", 1));
    this.opening = new ReviewOpening(parts, candidates);
    this.reading = new ReviewReading(parts);
    this.deciding = new ReviewDeciding(parts, effects.leavers());
    this.restoring = new Restoring(parts);
    this.notices = new ReviewNotices(pool, effects.news(), clock);
  }

  /** The suspensions every request's insert asks about ({@code access.EligibilityHolds}). */
  public static EligibilityHolds holds() {
    return new Suspensions();
  }

  /** The routes' and pages' port. */
  public Reviewing reviewing() {
    return this;
  }

  /** The timers' port. */
  public ReviewSweeps sweeps() {
    return this;
  }

  @Override
  public Future<Review> open(Caller caller, String profile) {
    Decision may = reading.rights(caller).mayOpen();
    Future<Review> opened =
        may.allowed()
            ? opening.open(Optional.of(caller), profile)
            : Future.failedFuture(may.refusal());
    return opened.recover(
        e -> audit.refused(caller, "open", Optional.of(profile), Optional.empty(), e));
  }

  @Override
  public Future<List<ReviewSummary>> list(
      Caller caller, Optional<Review.State> state, Optional<String> profile) {
    return reading.list(caller, state, profile);
  }

  @Override
  public Future<Review> get(Caller caller, String id) {
    return reading.get(caller, id);
  }

  @Override
  public Future<Review> decide(Caller caller, String id, List<ReviewerChoice> asked) {
    return deciding
        .decide(caller, id, asked)
        .recover(e -> audit.refused(caller, "decide", Optional.empty(), Optional.of(id), e));
  }

  @Override
  public Future<Restored> restore(Caller caller, String profile, Person person) {
    return restoring
        .restore(caller, profile, person)
        .recover(e -> audit.refused(caller, "restore", Optional.of(profile), Optional.empty(), e));
  }

  /** The reviewers are told by {@link ReviewNotices}. */
  @Override
  public Future<Integer> sweep() {
    // Each step whatever became of the one before: a review that cannot open never keeps a due
    // one from closing, nor reviewers from being told.
    return opening
        .onSchedule()
        .transform(opened -> deciding.overdue().transform(closed -> told(opened, closed)));
  }

  private Future<Integer> told(AsyncResult<Integer> opened, AsyncResult<Integer> closed) {
    return notices
        .round()
        .transform(
            told -> {
              Throwable failed =
                  opened.failed() ? opened.cause() : closed.failed() ? closed.cause() : null;
              if (failed == null && told.failed()) {
                failed = told.cause();
              }
              return failed != null
                  ? Future.failedFuture(failed)
                  : Future.succeededFuture(opened.result() + closed.result());
            });
  }
}
