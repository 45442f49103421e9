package dev.stint.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.testing.PolicyFixtures;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every "may" of {@link FilingRights}, allowed and refused, with the reasons, as tables: filing
 * while a review's suspension holds, break-glass for a profile, and a value for a parameter that
 * lists the values a person may give.
 */
class FilingRightsTest {
  static final Policy POLICY =
      PolicyFixtures.load(
          """
      profiles:
        prod:
          aws: {role_arn: "arn:aws:iam::111122223333:role/prod"}
          max_duration: 2h
          requesters: 'true'
          approval: {count: 1, approvers: 'true'}
          break_glass: true
        dev:
          aws: {role_arn: "arn:aws:iam::111122223333:role/dev"}
          max_duration: 2h
          requesters: 'true'
          approval: {count: 1, approvers: 'true'}
      """);

  static final Parameter BUCKET =
      new Parameter("bucket", SafePattern.parse("[a-z]{1,9}", Set.of()), "d", Optional.empty());

  static Stream<Arguments> breakGlass() {
    return Stream.of(
        Arguments.of("prod", true, "profile prod allows break-glass"),
        Arguments.of("dev", false, "profile dev does not allow break-glass"));
  }

  @ParameterizedTest(name = "break-glass for {0}: {1}")
  @MethodSource("breakGlass")
  void breakGlassOnlyWhereTheProfileAllowsIt(String profile, boolean allowed, String reason) {
    Decision d = FilingRights.mayBreakGlass(POLICY.profile(profile).orElseThrow());
    assertThat(d.allowed()).as(d.reason()).isEqualTo(allowed);
    assertThat(d.reason()).isEqualTo(reason);
  }

  static Stream<Arguments> values() {
    return Stream.of(
        Arguments.of(
            "one of those listed",
            new AllowedValues.Result(List.of("sre", "ops"), Optional.empty()),
            "ops",
            true,
            "one of the values the policy lists for you"),
        Arguments.of(
            "one not listed",
            new AllowedValues.Result(List.of("sre", "ops"), Optional.empty()),
            "fin",
            false,
            "you may give parameter bucket only one of sre, ops"),
        Arguments.of(
            "none listed for the person",
            new AllowedValues.Result(List.of(), Optional.empty()),
            "sre",
            false,
            "you may give parameter bucket no value: the policy lists none for you"),
        Arguments.of(
            "the list could not be read, though the value was on it before",
            new AllowedValues.Result(List.of("sre"), Optional.of("no such key: team")),
            "sre",
            false,
            "the values you may give parameter bucket could not be read from the policy"
                + " (no such key: team)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("values")
  void aListedParameterTakesOnlyAValueListedForThePerson(
      String name, AllowedValues.Result allowed, String value, boolean may, String reason) {
    Decision d = FilingRights.mayGive(BUCKET, allowed, value);
    assertThat(d.allowed()).as(d.reason()).isEqualTo(may);
    assertThat(d.reason()).isEqualTo(reason);
  }

  static Stream<Arguments> holds() {
    return Stream.of(
        Arguments.of("nobody suspended", Optional.empty(), true, "not suspended from profile prod"),
        Arguments.of(
            "suspended by a review",
            Optional.of(new LeaseRights.Suspension("rev_1", Instant.parse("2026-03-04T12:00:00Z"))),
            false,
            "your eligibility for profile prod was suspended by access review rev_1 at"
                + " 2026-03-04T12:00:00Z; a later review or an admin"
                + " ('POST /v1/eligibility/restore') can restore it"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("holds")
  void nobodyAReviewSuspendedFilesForTheProfile(
      String name, Optional<LeaseRights.Suspension> hold, boolean may, String reason) {
    Decision d = FilingRights.mayFile("prod", hold);
    assertThat(d.allowed()).as(d.reason()).isEqualTo(may);
    assertThat(d.reason()).isEqualTo(reason);
  }
}
