package dev.stint.review;

import dev.stint.access.Caller;
import dev.stint.access.EligibilityHolds;
import dev.stint.activity.ProfileUsage;
import dev.stint.common.Ids;
import dev.stint.error.ErrorCode;
import dev.stint.error.StintException;
import dev.stint.identity.Person;
import dev.stint.ledger.MintHistory;
import dev.stint.policy.Policy;
import dev.stint.policy.PolicyInForce;
import dev.stint.policy.Profile;
import dev.stint.policy.ReviewRule;
import dev.stint.review.Candidates.Candidate;
import dev.stint.review.ReviewItem.Evidence;
import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opening a review, on demand (an admin) or on schedule: 1. the profile's {@code access_review}
 * from the policy in force; 2. the period its evidence covers, from the last review of the profile
 * (or one {@code every} back for the first); 3. the people eligible now ({@link Candidates}), those
 * already suspended, their use of the profile in the period ({@code activity.ProfileUsage}) and
 * their last credential ({@code ledger.MintHistory}); 4. one item per person with the suggestion
 * the evidence makes; 5. the review, its items and {@code review.opened} in one transaction. One
 * review of a profile is open at a time (a unique index, so two replicas cannot both open one).
 */
final class ReviewOpening {
  private final Pool pool;
  private final PolicyInForce policies;
  private final Candidates candidates;
  private final ProfileUsage usage;
  private final MintHistory mints;
  private final ReviewAudit audit;
  private final Clock clock;
  private final Ids ids = new Ids();
  private final Map<String, Instant> failedUntil = new ConcurrentHashMap<>();

  /** How long this replica leaves a profile whose scheduled review could not open. */
  static final Duration RETRY_AFTER = Duration.ofHours(1);

  private static final Logger LOG = LoggerFactory.getLogger(ReviewOpening.class);

  ReviewOpening(ReviewParts parts, Candidates candidates) {
    this.pool = parts.pool();
    this.policies = parts.policies();
    this.usage = parts.usage();
    this.mints = parts.mints();
    this.audit = parts.audit();
    this.clock = parts.clock();
    this.candidates = candidates;
  }

  /** Opens a review of {@code profile} now, by {@code by} (the schedule when empty). */
  Future<Review> open(Optional<Caller> by, String profileName) {
    Policy policy = policies.current();
    Instant now = clock.instant();
    Profile profile;
    try {
      profile =
          policy
              .profile(profileName)
              .orElseThrow(() -> StintException.notFound("unknown profile '" + profileName + "'"));
    } catch (StintException e) {
      return Future.failedFuture(e);
    }
    if (profile.accessReview().isEmpty()) {
      return Future.failedFuture(
          StintException.invalid(
              "profile " + profileName + " declares no access_review; add one to its policy"));
    }
    ReviewRule rule = profile.accessReview().get();
    return openOne(profileName)
        .compose(x -> ReviewStore.latestOpened(pool, profileName))
        .compose(
            latest -> {
              Instant start = latest.filter(t -> !t.isAfter(now)).orElse(now.minus(rule.every()));
              return evidence(policy, profile, start, now)
                  .map(items -> draft(by, profile, rule, start, now, items));
            })
        .compose(review -> write(by, review));
  }

  /** Fails with {@code 409} naming the open review of {@code profile}, if there is one. */
  private Future<Void> openOne(String profile) {
    return ReviewStore.list(pool, Optional.of(Review.State.OPEN), Optional.of(profile))
        .compose(
            open ->
                open.isEmpty()
                    ? Future.<Void>succeededFuture()
                    : Future.failedFuture(alreadyOpen(profile, open.get(0).id())));
  }

  private static StintException alreadyOpen(String profile, String id) {
    return StintException.conflict(
        "access review " + id + " of profile " + profile + " is open; decide it first");
  }

  private Future<List<ReviewItem>> evidence(
      Policy policy, Profile profile, Instant start, Instant now) {
    Future<List<Candidate>> people = candidates.of(policy, profile, now);
    Future<Map<Person, EligibilityHolds.Hold>> held = Suspensions.ofProfile(pool, profile.name());
    Future<Map<ProfileUsage.Requester, ProfileUsage.Usage>> used =
        usage.since(profile.name(), start, now);
    Future<Map<MintHistory.Holder, Instant>> minted = mints.lastMinted(profile.name());
    Future<Map<ProfileUsage.Requester, Instant>> portal = usage.lastPortalAccess(profile.name());
    return Future.all(people, held, used, minted, portal)
        .map(
            all -> {
              Map<MintHistory.Holder, Instant> last = latest(minted.result(), portal.result());
              List<ReviewItem> items = new ArrayList<>();
              for (Candidate c : people.result()) {
                items.add(item(c, held.result(), used.result(), last, start, now));
              }
              return items;
            });
  }

  /**
   * Each person's latest credential, or the latest portal access of an Identity Center grant (which
   * hands out none), whichever is later.
   */
  private static Map<MintHistory.Holder, Instant> latest(
      Map<MintHistory.Holder, Instant> minted, Map<ProfileUsage.Requester, Instant> portal) {
    Map<MintHistory.Holder, Instant> out = new HashMap<>(minted);
    portal.forEach(
        (who, at) ->
            out.merge(
                new MintHistory.Holder(who.issuer(), who.subject()),
                at,
                (a, b) -> a.isAfter(b) ? a : b));
    return out;
  }

  private static ReviewItem item(
      Candidate c,
      Map<Person, EligibilityHolds.Hold> held,
      Map<ProfileUsage.Requester, ProfileUsage.Usage> used,
      Map<MintHistory.Holder, Instant> minted,
      Instant start,
      Instant now) {
    Person p = c.person();
    ProfileUsage.Usage u =
        used.getOrDefault(
            new ProfileUsage.Requester(p.issuer(), p.subject()), ProfileUsage.Usage.NONE);
    Evidence e =
        new Evidence(
            u.grants(),
            Optional.ofNullable(minted.get(new MintHistory.Holder(p.issuer(), p.subject()))),
            u.calls(),
            u.unusedGrants(),
            Optional.of(u.unusedUnseen()));
    Optional<EligibilityHolds.Hold> hold =
        Optional.ofNullable(held.get(new Person(p.issuer(), p.subject(), Optional.empty())));
    return new ReviewItem(
        p,
        c.eligibleBy(),
        e,
        Suggestions.of(e, u.unseen(), hold, start, now),
        hold.isPresent(),
        Optional.empty());
  }

  private Review draft(
      Optional<Caller> by,
      Profile profile,
      ReviewRule rule,
      Instant start,
      Instant now,
      List<ReviewItem> items) {
    return new Review(
        ids.review(),
        profile.name(),
        Review.State.OPEN,
        now,
        by.map(Caller::person),
        start,
        now.plus(rule.dueIn()),
        rule.whenOverdue(),
        Optional.empty(),
        items);
  }

  private Future<Review> write(Optional<Caller> by, Review review) {
    return pool.withTransaction(
            conn ->
                ReviewStore.insert(conn, review)
                    .compose(x -> audit.opened(by, review))
                    .map(x -> review))
        .recover(
            e ->
                e instanceof PgException pg && "23505".equals(pg.getSqlState())
                    ? Future.failedFuture(
                        StintException.conflict(
                            "an access review of profile " + review.profile() + " is open"))
                    : Future.failedFuture(e));
  }

  /**
   * One round of the schedule: a review opens for each profile with {@code access_review} whose
   * last one opened {@code every} ago or more, or, for a profile never reviewed, {@code every}
   * after the schedule first found it declaring one (so a rollout opens nothing at once). Answers
   * how many opened.
   */
  Future<Integer> onSchedule() {
    Instant now = clock.instant();
    List<Profile> due =
        policies.current().profiles().values().stream()
            .filter(p -> p.accessReview().isPresent())
            .toList();
    Future<Integer> chain = Future.succeededFuture(0);
    for (Profile p : due) {
      Instant retry = failedUntil.get(p.name());
      if (retry != null && retry.isAfter(now)) {
        continue;
      }
      chain =
          chain.compose(
              n ->
                  openIfDue(p, now)
                      .map(opened -> opened ? n + 1 : n)
                      .recover(e -> failed(p.name(), now, e).map(n)));
    }
    return chain;
  }

  /**
   * A scheduled review that could not open (too many people, the database away): recorded as {@code
   * review.refused} by stint and logged, then left alone on this replica for {@link #RETRY_AFTER},
   * so it costs a directory read an hour, never one a minute, and keeps no other profile's review
   * from opening.
   */
  private Future<Void> failed(String profile, Instant now, Throwable e) {
    failedUntil.put(profile, now.plus(RETRY_AFTER));
    LOG.warn("access review of profile {} could not open on schedule: {}", profile, e.getMessage());
    return audit.scheduleFailed(profile, e).recover(x -> Future.succeededFuture());
  }

  private Future<Boolean> openIfDue(Profile p, Instant now) {
    ReviewRule rule = p.accessReview().orElseThrow();
    return ReviewStore.declared(pool, p.name(), now)
        .compose(
            declared ->
                ReviewStore.latestOpened(pool, p.name())
                    .map(latest -> latest.filter(l -> l.isAfter(declared)).orElse(declared)))
        .compose(
            since -> {
              if (since.plus(rule.every()).isAfter(now)) {
                return Future.succeededFuture(false);
              }
              return open(Optional.empty(), p.name())
                  .map(r -> true)
                  // Another replica's, or one still open past its period: no second one.
                  .recover(
                      e ->
                          e instanceof StintException s && s.code() == ErrorCode.CONFLICT
                              ? Future.succeededFuture(false)
                              : Future.failedFuture(e));
            });
  }
}
