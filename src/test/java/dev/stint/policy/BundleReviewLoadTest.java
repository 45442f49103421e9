package dev.stint.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.stint.testing.PolicyFixtures;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A bundle's {@code access_review}: it reviews each of its profiles that declares no review of its
 * own; a profile's own review wins; a profile two bundles would review is refused at load, as is a
 * bundle's review that a profile's would refuse.
 */
class BundleReviewLoadTest {
  static String profile(String name, String extra) {
    return "  "
        + name
        + ":\n"
        + "    aws: {role_arn: 'arn:aws:iam::111122223333:role/"
        + name
        + "', mode: assume_role}\n"
        + "    max_duration: 1h\n"
        + "    requesters: 'true'\n"
        + "    approval: {count: 1, approvers: 'true'}\n"
        + extra;
  }

  static final String QUARTERLY =
      "{every: 90d, reviewers: '\"security\" in principal.groups', due_in: 14d,"
          + " when_overdue: suspend}";

  @Test
  void aBundlesReviewCoversItsProfilesThatDeclareNoneAndAProfilesOwnWins() {
    Policy p =
        PolicyFixtures.load(
            "profiles:\n"
                + profile("a", "")
                + profile(
                    "b",
                    "    access_review: {every: 30d, reviewers: 'false', due_in: 1d,"
                        + " when_overdue: keep}\n")
                + profile("c", "")
                + "bundles:\n"
                + "  ab:\n"
                + "    profiles: [a, b]\n"
                + "    access_review: "
                + QUARTERLY
                + "\n");
    ReviewRule a = p.profile("a").orElseThrow().accessReview().orElseThrow();
    assertThat(a.every()).isEqualTo(Duration.ofDays(90));
    assertThat(a.whenOverdue()).isEqualTo(ReviewRule.WhenOverdue.SUSPEND);
    assertThat(p.profile("b").orElseThrow().accessReview().orElseThrow().every())
        .as("b's own review wins")
        .isEqualTo(Duration.ofDays(30));
    assertThat(p.profile("c").orElseThrow().accessReview()).as("not in the bundle").isEmpty();
  }

  @Test
  void aProfileTwoBundlesWouldReviewIsRefused() {
    PolicyException e =
        catchThrowableOfType(
            PolicyException.class,
            () ->
                PolicyFixtures.load(
                    "profiles:\n"
                        + profile("a", "")
                        + profile("b", "")
                        + profile("c", "")
                        + "bundles:\n"
                        + "  ab: {profiles: [a, b], access_review: "
                        + QUARTERLY
                        + "}\n"
                        + "  ac: {profiles: [a, c], access_review: "
                        + QUARTERLY
                        + "}\n"));
    assertThat(e).isNotNull();
    assertThat(e.problems())
        .anySatisfy(
            problem ->
                assertThat(problem)
                    .contains("bundles.ac.access_review")
                    .contains("profile 'a' is also reviewed by bundle 'ab'"));
  }

  @Test
  void aBundlesReviewIsCheckedAsAProfilesIs() {
    PolicyException e =
        catchThrowableOfType(
            PolicyException.class,
            () ->
                PolicyFixtures.load(
                    "profiles:\n"
                        + profile("a", "")
                        + profile("b", "")
                        + "bundles:\n"
                        + "  ab: {profiles: [a, b], access_review: {every: 7d,"
                        + " reviewers: 'true', due_in: 8d, when_overdue: keep}}\n"));
    assertThat(e).isNotNull();
    assertThat(e.problems())
        .anySatisfy(problem -> assertThat(problem).contains("bundles.ab.access_review.due_in"));
  }
}
