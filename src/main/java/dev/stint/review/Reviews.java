package dev.stint.review;

import dev.stint.access.Caller;
import dev.stint.access.EligibilityHolds;
import dev.stint.access.Leavers;
import dev.stint.activity.ProfileUsage;
import dev.stint.audit.AuditLog;
import dev.stint.directory.ActiveUsers;
import dev.stint.error.StintException;
import dev.stint.identity.Directory;
import dev.stint.identity.MatchClaim;
import dev.stint.identity.Person;
import dev.stint.ledger.MintHistory;
import dev.stint.people.PeopleSeen;
import dev.stint.policy.PolicyStore;
import dev.stint.review.ReviewItem.Choice;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Access reviews, assembled: opening ({@link ReviewOpening}), reading ({@link ReviewReading}),
 * deciding and the due date ({@link ReviewDeciding}), an admin's restore ({@link Restoring}), and
 * the suspensions each request's insert asks ({@link #holds}). Every refusal is recorded as {@code
 * review.refused} before it is answered.
 */
public final class Reviews {
  /** How far a review is: its items, those decided, kept and removed. */
  public record Progress(int total, int decided, int kept, int removed) {
    static final Progress NONE = new Progress(0, 0, 0, 0);

    /** Counted from {@code r}'s items. */
    public static Progress of(Review r) {
      int kept = 0;
      int removed = 0;
      for (ReviewItem i : r.items()) {
        if (i.decision().isPresent()) {
          if (i.decision().get().choice() == Choice.KEEP) {
            kept++;
          } else {
            removed++;
          }
        }
      }
      return new Progress(r.items().size(), kept + removed, kept, removed);
    }
  }

  /** A review without its items, with how far it is. */
  public record Summary(Review review, Progress progress) {}

  /** One item as a reviewer decides it. */
  public record Asked(Person person, Choice choice, Optional<String> comment) {}

  /** A lifted suspension: whose, of which profile, the hold lifted, and when. */
  public record Restored(String profile, Person person, EligibilityHolds.Hold hold, Instant at) {}

  /** What every part works with. */
  record Parts(
      Pool pool,
      PolicyStore policies,
      ProfileUsage usage,
      MintHistory mints,
      ReviewAudit audit,
      Clock clock) {}

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
      PolicyStore policies,
      AuditLog log,
      Effects effects,
      People people,
      Clock clock) {
    this.audit = new ReviewAudit(log);
    Pool pool = stores.pool();
    Parts parts = new Parts(pool, policies, stores.usage(), new MintHistory(pool), audit, clock);
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

  /** Opens a review of {@code profile} now: admins only. */
  public Future<Review> open(Caller caller, String profile) {
    Future<Review> opened =
        reading.isAdmin(caller)
            ? opening.open(Optional.of(caller), profile)
            : Future.failedFuture(
                StintException.forbidden("only admins open access reviews on demand"));
    return opened.recover(
        e -> audit.refused(caller, "open", Optional.of(profile), Optional.empty(), e));
  }

  /** The latest reviews {@code caller} may read. */
  public Future<List<Summary>> list(
      Caller caller, Optional<Review.State> state, Optional<String> profile) {
    return reading.list(caller, state, profile);
  }

  /** Review {@code id}, if {@code caller} may read it. */
  public Future<Review> get(Caller caller, String id) {
    return reading.get(caller, id);
  }

  /** {@code caller}'s decisions on review {@code id}, all or none. */
  public Future<Review> decide(Caller caller, String id, List<Asked> asked) {
    return deciding
        .decide(caller, id, asked)
        .recover(e -> audit.refused(caller, "decide", Optional.empty(), Optional.of(id), e));
  }

  /** Lifts {@code person}'s suspension from {@code profile}: admins only, never their own. */
  public Future<Restored> restore(Caller caller, String profile, Person person) {
    return restoring
        .restore(caller, profile, person)
        .recover(e -> audit.refused(caller, "restore", Optional.of(profile), Optional.empty(), e));
  }

  /**
   * One round of the timers: reviews due by the schedule opened, then reviews past their due date
   * closed, then reviewers told of reviews opened and nearly due ({@link ReviewNotices}). Answers
   * how many opened and closed.
   */
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
