package dev.stint.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.common.ParameterValues;
import dev.stint.policy.Profile;
import dev.stint.testing.PolicyFixtures;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The new-request form alone: the default duration, and where a refusal is shown. */
class RequestFormTest {
  private static List<Profile> profiles(String... maxima) {
    StringBuilder yaml = new StringBuilder("profiles:\n");
    for (int i = 0; i < maxima.length; i++) {
      yaml.append("  p")
          .append(i)
          .append(":\n    aws: {role_arn: 'arn:aws:iam::111122223333:role/r")
          .append(i)
          .append("', mode: assume_role}\n    max_duration: ")
          .append(maxima[i])
          .append("\n    requesters: 'true'\n    approval: {count: 1, approvers: 'true'}\n");
    }
    return List.copyOf(PolicyFixtures.load(yaml.toString()).profiles().values());
  }

  static Stream<Arguments> maxima() {
    return Stream.of(
        Arguments.of(List.of("8h"), Duration.ofHours(1)),
        Arguments.of(List.of("1h"), Duration.ofHours(1)),
        Arguments.of(List.of("30m"), Duration.ofMinutes(30)),
        Arguments.of(List.of("12h", "20m"), Duration.ofMinutes(20)),
        Arguments.of(List.of("2h", "4h"), Duration.ofHours(1)));
  }

  @ParameterizedTest(name = "maxima {0}: default {1}")
  @MethodSource("maxima")
  void theDefaultIsTheShorterOfAnHourAndTheProfilesMaximum(List<String> maxima, Duration want) {
    List<Profile> ps = profiles(maxima.toArray(String[]::new));
    assertThat(RequestForm.defaultDuration(ps)).isEqualTo(want);
    String options = RequestForm.durations(ps, Optional.empty()).toString();
    assertThat(options).contains("<option value=\"" + want.toSeconds() + "\" selected>");
    assertThat(options.split(" selected", -1)).hasSize(2);
  }

  @ParameterizedTest(name = "submitted {0}s with maximum 2h: selected {1}s")
  @CsvSource({"7200, 7200", "900, 900", "10800, 3600"})
  void aSubmittedDurationStaysSelectedWhenOffered(long submitted, long selected) {
    String options =
        RequestForm.durations(profiles("2h"), Optional.of(Duration.ofSeconds(submitted)))
            .toString();
    assertThat(options).contains("<option value=\"" + selected + "\" selected>");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "'reason must match ^INC-[0-9]+', reason",
    "'a reason is required for this profile', reason",
    "'duration 3h exceeds the maximum of 2h for profile aws-prod', duration",
    "'duration must be at least 1m', duration",
    "'choose a duration', duration",
    "'ticket is longer than 200 characters', ticket",
    "'break-glass needs a reason', break_glass",
    "'profile gcp-view does not allow break-glass', break_glass",
    "'choose a profile', profile",
    "'parameters of profile ''p'': reason: no value given', parameters",
    "'you may give parameter duration only one of a, b', parameters",
    "'the values you may give parameter reason could not be read from the policy (x)', parameters",
    "'no one stint has seen could approve this', ''"
  })
  void aRefusalIsShownBesideTheFieldItNames(String refusal, String field) {
    assertThat(FilledRequestForm.fieldOf(refusal)).isEqualTo(field);
  }

  /** A refusal about parameters whose inputs are not drawn is shown at the top, never dropped. */
  @ParameterizedTest(name = "{0}: at the top {1}")
  @CsvSource({"p0, true", "s3-logs, false"})
  void aParametersRefusalGoesToTheTopUnlessItsInputsAreDrawn(String profile, boolean atTop) {
    List<Profile> drawn = new ArrayList<>(profiles("1h"));
    drawn.addAll(PolicyFixtures.load("profiles:\n" + WebTestSetup.NARROWED).profiles().values());
    FilledRequestForm f =
        new FilledRequestForm(
                profile, Optional.empty(), "", "", false, ParameterValues.NONE, Optional.empty())
            .refusedFor("parameters of profile '" + profile + "': prefix: no value given");
    assertThat(f.errorAtTop(drawn).toString().contains("role=\"alert\">parameters of profile"))
        .isEqualTo(atTop);
  }
}
