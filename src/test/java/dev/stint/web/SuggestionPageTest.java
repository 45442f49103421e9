package dev.stint.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.review.Review;
import dev.stint.rightsize.Suggestion;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The right-sizing page shows today's policy and the suggestion side by side with what stint proved
 * and what nobody used, escaped; the review page lists the profile's unused actions beside the
 * people, with a link to that page, and nothing when they cannot be told.
 */
class SuggestionPageTest {
  private static final Instant AT = Instant.parse("2026-11-01T00:00:00Z");

  static Suggestion suggestion() {
    return new Suggestion(
        "prod",
        AT,
        2,
        7,
        List.of(new Suggestion.Observed("s3:GetObject", 7, List.of("arn:aws:s3:::b/<x>/*"), AT)),
        Optional.of(
            "[{\"Sid\":\"Used1\",\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\","
                + "\"Resource\":\"arn:aws:s3:::b/<x>/*\"}]"),
        Optional.of("[{\"Effect\":\"Allow\",\"Action\":[\"s3:*\",\"ec2:*\"],\"Resource\":\"*\"}]"),
        new Suggestion.Proof(true, Optional.empty()),
        new Suggestion.Proof(false, Optional.of("no Allow covers it")),
        List.of("ec2:*"),
        List.of());
  }

  @Test
  void todayAndTheSuggestionStandSideBySideWithTheProofsAndWhatNobodyUsed() {
    String page = SuggestionPage.body(suggestion(), "90d").toString();

    assertThat(page)
        .contains("class=\"side-by-side\"")
        .contains("<h2 id=\"today-h\">Today</h2>")
        .contains("&quot;ec2:*&quot;")
        .contains("<h2 id=\"sugg-h\">Suggested</h2>")
        .contains("&quot;Sid&quot; : &quot;Used1&quot;")
        .contains("proven")
        .contains("not proven: no Allow covers it")
        .contains("<code>ec2:*</code>")
        .contains("stint profile suggest prod --since 90d --yaml")
        .doesNotContain("<x>");
  }

  @Test
  void theReviewPageListsTheUnusedActionsBesideThePeopleOrNothing() {
    Review r = ReviewPageTest.review(1);

    String shown =
        ReviewPages.unusedSection(r, Optional.of(List.of("ec2:*", "s3:Delete*"))).toString();

    assertThat(shown)
        .contains("Unused actions")
        .contains("<code>ec2:*</code> <code>s3:Delete*</code>")
        .contains("href=\"/ui/profiles/" + r.profile() + "/suggestion\"");
    assertThat(ReviewPages.unusedSection(r, Optional.empty()).toString()).isEmpty();
    assertThat(
            ReviewPage.body(
                    r,
                    ReviewPageTest.reviewer("lead", true),
                    Optional.empty(),
                    ReviewPages.unusedSection(r, Optional.of(List.of("ec2:*"))))
                .toString())
        .contains("Unused actions");
  }
}
