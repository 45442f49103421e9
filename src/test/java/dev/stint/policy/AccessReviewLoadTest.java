package dev.stint.policy;

import static dev.stint.policy.PolicyLoaderTest.AWS;
import static dev.stint.policy.PolicyLoaderTest.profile;
import static dev.stint.testing.PolicyFixtures.person;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.stint.identity.Principal;
import dev.stint.testing.PolicyFixtures;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A profile's {@code access_review:} at load, and who its reviewers are. */
class AccessReviewLoadTest {
  static final Instant NOON = Instant.parse("2026-03-04T12:00:00Z");
  static final String SECURITY = "\"principal.groups.exists(g, g == 'security')\"";

  static String review(String members) {
    return profile(AWS, "    access_review: {" + members + "}\n");
  }

  static Stream<Arguments> invalid() {
    String reviewers = "reviewers: " + SECURITY;
    return Stream.of(
        Arguments.of(
            "no every",
            review(reviewers + ", due_in: 14d, when_overdue: keep"),
            "profiles.p.access_review.every: is required"),
        Arguments.of(
            "no due_in",
            review("every: 90d, " + reviewers + ", when_overdue: keep"),
            "profiles.p.access_review.due_in: is required"),
        Arguments.of(
            "no reviewers",
            review("every: 90d, due_in: 14d, when_overdue: keep"),
            "profiles.p.access_review.reviewers: is required"),
        Arguments.of(
            "no when_overdue",
            review("every: 90d, " + reviewers + ", due_in: 14d"),
            "profiles.p.access_review.when_overdue: is required"),
        Arguments.of(
            "every under a day",
            review("every: 23h, " + reviewers + ", due_in: 1h, when_overdue: keep"),
            "profiles.p.access_review.every: must be at least 1d"),
        Arguments.of(
            "due_in zero",
            review("every: 90d, " + reviewers + ", due_in: 0d, when_overdue: keep"),
            "profiles.p.access_review.due_in"),
        Arguments.of(
            "due_in negative",
            review("every: 90d, " + reviewers + ", due_in: -1d, when_overdue: keep"),
            "profiles.p.access_review.due_in"),
        Arguments.of(
            "due_in over every",
            review("every: 7d, " + reviewers + ", due_in: 8d, when_overdue: keep"),
            "profiles.p.access_review.due_in: is longer than every"),
        Arguments.of(
            "unknown key",
            review("every: 90d, " + reviewers + ", due_in: 14d, when_overdue: keep, owner: x"),
            "profiles.p.access_review.owner: unknown key"),
        Arguments.of(
            "bad when_overdue",
            review("every: 90d, " + reviewers + ", due_in: 14d, when_overdue: revoke"),
            "profiles.p.access_review.when_overdue: must be one of keep, suspend"),
        Arguments.of(
            "reviewers not compiling",
            review("every: 90d, reviewers: 'principal.groups.', due_in: 14d, when_overdue: keep"),
            "profiles.p.access_review.reviewers: CEL"),
        Arguments.of(
            "reviewers reading the request",
            review(
                "every: 90d, reviewers: 'request.break_glass', due_in: 14d,"
                    + " when_overdue: keep"),
            "profiles.p.access_review.reviewers: CEL: undeclared reference to 'request'"),
        Arguments.of(
            "not a map", profile(AWS, "    access_review: 90d\n"), "profiles.p.access_review"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void refusesWithTheProblem(String name, String yaml, String expected) {
    PolicyException e =
        catchThrowableOfType(PolicyException.class, () -> PolicyFixtures.load(yaml));
    assertThat(e).as("policy should be refused").isNotNull();
    assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains(expected));
  }

  @Test
  void loadsTheRuleAtItsBoundsAndAProfileWithoutItHasNone() {
    Profile shortest =
        PolicyFixtures.load(
                review("every: 1d, reviewers: " + SECURITY + ", due_in: 1d, when_overdue: suspend"))
            .profile("p")
            .orElseThrow();
    Profile usual =
        PolicyFixtures.load(
                review("every: 90d, reviewers: " + SECURITY + ", due_in: 14d, when_overdue: keep"))
            .profile("p")
            .orElseThrow();

    ReviewRule s = shortest.accessReview().orElseThrow();
    assertThat(s.every()).isEqualTo(Duration.ofDays(1));
    assertThat(s.dueIn()).isEqualTo(Duration.ofDays(1));
    assertThat(s.whenOverdue()).isEqualTo(ReviewRule.WhenOverdue.SUSPEND);
    ReviewRule u = usual.accessReview().orElseThrow();
    assertThat(u.every()).isEqualTo(Duration.ofDays(90));
    assertThat(u.dueIn()).isEqualTo(Duration.ofDays(14));
    assertThat(u.whenOverdue()).isEqualTo(ReviewRule.WhenOverdue.KEEP);
    assertThat(PolicyFixtures.load(profile(AWS, "")).profile("p").orElseThrow().accessReview())
        .isEmpty();
  }

  @Test
  void reviewersAreWhomTheRuleNamesAndAProfileWithoutAReviewHasNone() {
    Policy policy =
        PolicyFixtures.load(
            review("every: 90d, reviewers: " + SECURITY + ", due_in: 14d, when_overdue: keep"));
    Policy plain = PolicyFixtures.load(profile(AWS, ""));
    PolicyEvaluator evaluator = new PolicyEvaluator(policy);
    Principal sec = person("s", null, List.of("security"));
    Principal eng = person("e", null, List.of("eng"));
    Profile reviewed = policy.profile("p").orElseThrow();

    assertThat(evaluator.isReviewer(sec, reviewed, NOON)).isTrue();
    assertThat(evaluator.isReviewer(eng, reviewed, NOON)).isFalse();
    assertThat(new PolicyEvaluator(plain).isReviewer(sec, plain.profile("p").orElseThrow(), NOON))
        .as("nobody reviews a profile without access_review")
        .isFalse();
  }
}
