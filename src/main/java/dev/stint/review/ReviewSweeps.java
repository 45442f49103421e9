package dev.stint.review;

import io.vertx.core.Future;

/**
 * The timers' round of access reviews: what the schedule opens, the due date closes, and who is
 * told.
 */
public interface ReviewSweeps {
  /**
   * Reviews due by the schedule opened, then reviews past their due date closed, then reviewers
   * told of reviews opened and nearly due. Answers how many opened and closed.
   */
  Future<Integer> sweep();
}
