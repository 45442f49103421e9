package dev.stint.review;

import dev.stint.identity.Person;
import dev.stint.policy.ReviewRule;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One access review of one profile: who opened it (a person, or the schedule), the period its
 * evidence covers (from {@code periodStart} to when it opened), when it is due, what an item left
 * undecided then becomes ({@code whenOverdue}, as recorded at opening), and its items. A review is
 * open until each item is decided or it is due, then closed.
 */
public record Review(
    String id,
    String profile,
    State state,
    Instant openedAt,
    Optional<Person> openedBy,
    Instant periodStart,
    Instant dueAt,
    ReviewRule.WhenOverdue whenOverdue,
    Optional<Closed> closed,
    List<ReviewItem> items) {

  public Review {
    items = List.copyOf(items);
  }

  /** Open until every item is decided or the review is due. */
  public enum State {
    OPEN,
    CLOSED;

    public String code() {
      return name().toLowerCase(Locale.ROOT);
    }

    static State of(String code) {
      return valueOf(code.toUpperCase(Locale.ROOT));
    }
  }

  /** When a review closed, and how: each item decided, or the rest by its due date. */
  public record Closed(Instant at, How how) {
    public enum How {
      DECIDED,
      OVERDUE;

      public String code() {
        return name().toLowerCase(Locale.ROOT);
      }
    }
  }

  /** This review with {@code items} in place of its own (a summary carries none). */
  public Review withItems(List<ReviewItem> items) {
    return new Review(
        id, profile, state, openedAt, openedBy, periodStart, dueAt, whenOverdue, closed, items);
  }

  /** This review as closing it at {@code at}, {@code how}, leaves it. */
  public Review closed(Instant at, Closed.How how) {
    return new Review(
        id,
        profile,
        State.CLOSED,
        openedAt,
        openedBy,
        periodStart,
        dueAt,
        whenOverdue,
        Optional.of(new Closed(at, how)),
        items);
  }

  /** Its item for {@code person}, if they are under review here. */
  public Optional<ReviewItem> item(Person person) {
    return items.stream().filter(i -> i.person().is(person)).findFirst();
  }

  /** The items nobody has decided yet. */
  public List<ReviewItem> undecided() {
    return items.stream().filter(i -> i.decision().isEmpty()).toList();
  }
}
