package dev.stint.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.identity.Person;
import dev.stint.identity.Principal;
import dev.stint.policy.ReviewRule;
import dev.stint.review.Review;
import dev.stint.review.ReviewItem;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The review page drawn from one review in memory: 500 people are one table with a row each, the
 * reviewer's own row without controls, every decided row without them, and each person's form name
 * distinct.
 */
class ReviewPageTest {
  static final String ISSUER = "https://idp.example.com";
  static final Instant OPENED = Instant.parse("2026-11-01T09:00:00Z");

  static ReviewItem item(int n, Optional<ReviewItem.Decision> decision) {
    return new ReviewItem(
        new Person(ISSUER, "user-" + n, Optional.of("user" + n + "@example.com")),
        new ReviewItem.EligibleBy(
            "\"eng\" in principal.groups", List.of("eng"), "claims", List.of()),
        new ReviewItem.Evidence(n % 3, Optional.empty(), n, 0, Optional.of(0)),
        new ReviewItem.Suggestion(ReviewItem.Choice.KEEP, "used in the period"),
        false,
        decision);
  }

  static Review review(int people) {
    List<ReviewItem> items = new ArrayList<>();
    for (int n = 0; n < people; n++) {
      Optional<ReviewItem.Decision> decision =
          n == 1
              ? Optional.of(
                  new ReviewItem.Decision(
                      ReviewItem.Choice.REMOVE,
                      Optional.of(new Person(ISSUER, "lead", Optional.empty())),
                      OPENED.plusSeconds(60),
                      Optional.of("left the team"),
                      false))
              : Optional.empty();
      items.add(item(n, decision));
    }
    return new Review(
        "rvw_many",
        "prod",
        Review.State.OPEN,
        OPENED,
        Optional.empty(),
        OPENED.minusSeconds(86_400 * 90L),
        OPENED.plusSeconds(86_400 * 14L),
        ReviewRule.WhenOverdue.KEEP,
        Optional.empty(),
        items);
  }

  static ReviewPage.Reader reviewer(String subject, boolean reviewer) {
    Principal p =
        new Principal(
            "corp",
            ISSUER,
            subject,
            Optional.empty(),
            List.of("security"),
            Map.of(),
            OPENED.plusSeconds(3600),
            Optional.empty());
    return new ReviewPage.Reader(
        new Visitor(p, "secret", "the-csrf", false, false, true),
        new Person(ISSUER, subject, Optional.empty()),
        reviewer);
  }

  static int count(String text, String part) {
    int n = 0;
    for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length())) {
      n++;
    }
    return n;
  }

  @Test
  void fiveHundredPeopleAreOneTableWithControlsWhereTheReviewerMayDecide() {
    Review r = review(500);

    String page =
        ReviewPage.body(r, reviewer("user-0", true), Optional.empty(), Html.empty()).toString();

    assertThat(count(page, "<table")).isEqualTo(1);
    assertThat(count(page, "<tr>")).as("a header row and one per person").isEqualTo(501);
    assertThat(count(page, "type=\"checkbox\""))
        .as("neither the reviewer's own row nor the decided one")
        .isEqualTo(498);
    assertThat(count(page, "name=\"action\" value=\"keep\">Keep</button>")).isEqualTo(498);
    assertThat(page)
        .contains("1 of 500 decided: 0 kept, 1 removed")
        .contains("undecided: yours, another reviewer decides")
        .contains("left the team")
        .doesNotContain("value=\"" + ReviewPage.key(r.items().get(0).person()) + "\"");
    Set<String> keys = new HashSet<>();
    r.items().forEach(i -> keys.add(ReviewPage.key(i.person())));
    assertThat(keys).hasSize(500);
  }

  @Test
  void aReaderWhoIsNoReviewerAndAClosedReviewGetNoControls() {
    Review r = review(3);
    Review closed =
        new Review(
            r.id(),
            r.profile(),
            Review.State.CLOSED,
            r.openedAt(),
            r.openedBy(),
            r.periodStart(),
            r.dueAt(),
            r.whenOverdue(),
            Optional.of(new Review.Closed(r.dueAt(), Review.Closed.How.OVERDUE)),
            r.items());

    String auditors =
        ReviewPage.body(r, reviewer("auditor", false), Optional.empty(), Html.empty()).toString();
    String afterwards =
        ReviewPage.body(closed, reviewer("lead", true), Optional.empty(), Html.empty()).toString();

    assertThat(auditors).doesNotContain("<form").doesNotContain("checkbox").contains("undecided");
    assertThat(afterwards)
        .doesNotContain("<form")
        .contains("due, the rest decided by when_overdue");
  }
}
