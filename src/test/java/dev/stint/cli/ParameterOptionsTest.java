package dev.stint.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code --param NAME=VALUE}: its shape checked, its value passed on as typed. */
class ParameterOptionsTest {
  @Test
  void valuesAreSortedByNameAndKeptAsTyped() {
    ParameterOptions flags =
        ParameterOptions.of(List.of("prefix=a=b", "bucket=*", "empty=", "space=team logs"));

    assertThat(flags.values())
        .containsExactly(
            Map.entry("bucket", "*"),
            Map.entry("empty", ""),
            Map.entry("prefix", "a=b"),
            Map.entry("space", "team logs"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "bucket               | has no",
        "=team-a              | one flag names no parameter",
        "bucket=a,bucket=b    | --param bucket is given twice"
      })
  void aMalformedFlagIsAUsageError(String flags, String message) {
    ParameterOptions given = ParameterOptions.of(List.of(flags.split(",")));

    assertThatThrownBy(given::values)
        .isInstanceOfSatisfying(
            CliException.class, e -> assertThat(e.exitCode()).isEqualTo(CliException.USAGE))
        .hasMessageContaining(message);
  }

  @Test
  void aFlagWithoutEqualsIsNamedOnlyByItsStart() {
    ParameterOptions given = ParameterOptions.of(List.of("b".repeat(5000)));

    assertThatThrownBy(given::values).message().hasSizeLessThan(200);
  }

  @Test
  void onlyTheServersRefusalsOfParametersGetTheNextStep() {
    CliException aboutParameters =
        new CliException(
            CliException.REFUSED,
            "parameters of profile 's3-read': bucket: no value given (invalid_request)",
            "invalid_request");
    CliException other =
        new CliException(CliException.REFUSED, "duration too long", "invalid_request");
    CliException denied = new CliException(CliException.REFUSED, "parameter x", "forbidden");

    assertThat(ParameterOptions.explained(aboutParameters, "s3-read").getMessage())
        .endsWith("  'stint profiles' lists what s3-read takes; give each with --param NAME=VALUE");
    assertThat(ParameterOptions.explained(aboutParameters, "s3-read").serverCode())
        .contains("invalid_request");
    assertThat(ParameterOptions.explained(other, "s3-read")).isSameAs(other);
    assertThat(ParameterOptions.explained(denied, "s3-read")).isSameAs(denied);
  }
}
