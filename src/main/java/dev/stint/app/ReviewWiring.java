package dev.stint.app;

import dev.stint.activity.ProfileUsage;
import dev.stint.activity.Visibility;
import dev.stint.audit.AuditLog;
import dev.stint.config.StintConfig;
import dev.stint.directory.ActiveUsers;
import dev.stint.identity.MatchClaim;
import dev.stint.policy.PolicyInForce;
import dev.stint.review.ReviewNews;
import dev.stint.review.Reviewing;
import dev.stint.review.Reviews;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Access reviews and their timer: every replica looks, once a minute, for reviews the schedule
 * opens and reviews past their due date (the unique open review per profile and the due reviews'
 * row locks split the work between replicas).
 */
final class ReviewWiring implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ReviewWiring.class);

  /** How often the schedule and the due dates are looked at. */
  static final Duration EVERY = Duration.ofMinutes(1);

  private final Vertx vertx;
  private final Reviews reviews;
  private final long timer;
  private boolean sweeping;

  /**
   * What reviews use from the rest of the server; {@code news} tells reviewers (Slack, or none).
   */
  record Needs(
      Pool pool, PolicyInForce policies, AuditLog audit, AccessWiring access, ReviewNews news) {}

  ReviewWiring(Vertx vertx, StintConfig config, Needs needs, Clock clock) {
    this.vertx = vertx;
    Pool pool = needs.pool();
    AccessWiring access = needs.access();
    this.reviews =
        new Reviews(
            vertx,
            new Reviews.Stores(
                pool,
                new ProfileUsage(
                    pool, Visibility.Push.of(config.activity().ingestToken().isPresent()))),
            needs.policies(),
            needs.audit(),
            new Reviews.Effects(access.service().leavers(), needs.news()),
            new Reviews.People(
                new ActiveUsers(pool),
                access.people(),
                access.directory(),
                () -> config.directory().scimToken().isPresent(),
                config.directory()::issuer,
                new MatchClaim(config.directory().matchClaim())),
            clock);
    this.timer = vertx.setPeriodic(EVERY.toMillis(), t -> sweep());
  }

  /** Access reviews for the routes and the pages. */
  Reviewing reviews() {
    return reviews.reviewing();
  }

  /** One round now: a round still running when the next is due is left to finish. */
  Future<Integer> sweep() {
    if (sweeping) {
      return Future.succeededFuture(0);
    }
    sweeping = true;
    return reviews
        .sweeps()
        .sweep()
        .onComplete(
            done -> {
              sweeping = false;
              if (done.failed()) {
                LOG.warn("access reviews: {}", done.cause().getMessage());
              } else if (done.result() > 0) {
                LOG.info("access reviews: {} opened or closed", done.result());
              }
            });
  }

  @Override
  public void close() {
    vertx.cancelTimer(timer);
  }
}
