package dev.stint.review;

import dev.stint.common.Timestamps;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Telling reviewers, from the sweep every replica runs each minute: a review not yet announced is
 * announced ({@link ReviewNews#opened}); an open review past its "due soon" moment, {@code due_at -
 * min(}{@link #SOON_AT_MOST}{@code , due_in / 2)}, is reminded of once ({@link ReviewNews#dueSoon})
 * while something in it is undecided.
 *
 * <p>Each message is claimed first, by one statement that sets {@code announced_at} or {@code
 * reminded_at} where it is still empty, skipping rows another replica holds; the message is sent
 * once that has committed. So two replicas never both send one, a restart finds what is still to
 * send in the table (nothing waits in memory), and a failed send is reported and not repeated:
 * reviewers see the review on its page and in the next reminder anyway. The opening goes this way
 * rather than through the outbox so that both messages follow one path, and because the outbox
 * carries request changes, which a review is not.
 */
final class ReviewNotices {
  private static final Logger LOG = LoggerFactory.getLogger(ReviewNotices.class);

  /** A reminder comes at most this long before the due date (sooner for short reviews). */
  static final Duration SOON_AT_MOST = Duration.ofDays(2);

  /** Reviews one round tells of at most, of each kind; the next round takes the rest. */
  static final int ROUND = 10;

  static final String ANNOUNCE =
      "UPDATE access_reviews SET announced_at = $1 WHERE announced_at IS NULL AND id IN"
          + " (SELECT id FROM access_reviews WHERE state = 'open' AND announced_at IS NULL"
          + " ORDER BY opened_at LIMIT $2 FOR UPDATE SKIP LOCKED) RETURNING id";

  static final String REMIND =
      "UPDATE access_reviews SET reminded_at = $1 WHERE reminded_at IS NULL AND id IN"
          + " (SELECT id FROM access_reviews WHERE state = 'open' AND reminded_at IS NULL"
          + " AND due_at - LEAST(make_interval(secs => $3), (due_at - opened_at) / 2) <= $1"
          + " ORDER BY due_at LIMIT $2 FOR UPDATE SKIP LOCKED) RETURNING id";

  private final Pool pool;
  private final ReviewNews news;
  private final Clock clock;

  ReviewNotices(Pool pool, ReviewNews news, Clock clock) {
    this.pool = pool;
    this.news = news;
    this.clock = clock;
  }

  /** One round: announcements, then reminders. Answers how many messages were sent. */
  Future<Integer> round() {
    return announce().compose(opened -> remind().map(reminded -> opened + reminded));
  }

  private Future<Integer> announce() {
    return claimed(ANNOUNCE, Tuple.of(Timestamps.utc(clock.instant()), ROUND))
        .compose(
            ids ->
                each(
                    ids,
                    r ->
                        r.items().isEmpty()
                            ? Future.succeededFuture(false)
                            : told(news.opened(r), r)));
  }

  private Future<Integer> remind() {
    Instant now = clock.instant();
    return claimed(REMIND, Tuple.of(Timestamps.utc(now), ROUND, SOON_AT_MOST.toSeconds()))
        .compose(
            ids ->
                each(
                    ids,
                    r -> {
                      int undecided = r.undecided().size();
                      // Claimed all the same: a review with nothing left to decide needs no
                      // reminder now or later.
                      return undecided == 0
                          ? Future.succeededFuture(false)
                          : told(news.dueSoon(r, undecided), r);
                    }));
  }

  private Future<List<String>> claimed(String sql, Tuple args) {
    return pool.preparedQuery(sql)
        .execute(args)
        .map(
            rows -> {
              List<String> out = new ArrayList<>();
              rows.forEach(row -> out.add(row.getString("id")));
              return out;
            });
  }

  /** Tells of each claimed review in turn; answers how many were told. */
  private Future<Integer> each(List<String> ids, Function<Review, Future<Boolean>> tell) {
    Future<Integer> chain = Future.succeededFuture(0);
    for (String id : ids) {
      chain =
          chain.compose(
              n ->
                  ReviewStore.load(pool, id)
                      .compose(r -> r.map(tell).orElse(Future.succeededFuture(false)))
                      .map(sent -> sent ? n + 1 : n));
    }
    return chain;
  }

  /**
   * Whether {@code sent} went out; a failure is logged (the claim stands) and the round goes on.
   */
  private static Future<Boolean> told(Future<Void> sent, Review r) {
    return sent.map(true)
        .recover(
            e -> {
              LOG.warn("could not tell the reviewers of {}: {}", r.id(), e.getMessage());
              return Future.succeededFuture(false);
            });
  }
}
