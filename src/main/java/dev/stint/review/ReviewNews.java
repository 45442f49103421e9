package dev.stint.review;

import io.vertx.core.Future;

/**
 * Whom a review concerns is told of it: that it opened, and once, that it is nearly due with items
 * still undecided. Called by the review sweep after the claim that makes each call happen once has
 * committed ({@link ReviewNotices}); an implementation reaches people where they are (Slack), and a
 * failure is its own to report: the review goes on whatever it answers.
 */
public interface ReviewNews {
  /** Review {@code r} opened; its items are there to decide. */
  Future<Void> opened(Review r);

  /** Review {@code r} is nearly due with {@code undecided} items (at least one) left. */
  Future<Void> dueSoon(Review r, int undecided);

  /** Nobody is told: no notifier is configured. */
  ReviewNews NONE =
      new ReviewNews() {
        @Override
        public Future<Void> opened(Review r) {
          return Future.succeededFuture();
        }

        @Override
        public Future<Void> dueSoon(Review r, int undecided) {
          return Future.succeededFuture();
        }
      };
}
