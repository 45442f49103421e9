package dev.stint.review;

import dev.stint.review.ReviewItem.Choice;

/** How far a review is: its items, those decided, kept and removed. */
public record ReviewProgress(int total, int decided, int kept, int removed) {
  static final ReviewProgress NONE = new ReviewProgress(0, 0, 0, 0);

  /** Counted from {@code r}'s items. */
  public static ReviewProgress of(Review r) {
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
    return new ReviewProgress(r.items().size(), kept + removed, kept, removed);
  }
}
