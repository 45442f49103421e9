package dev.stint.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

  @ParameterizedTest(name = "{0} = {1}s")
  @CsvSource({
    "90s, 90",
    "30m, 1800",
    "2h, 7200",
    "1h30m, 5400",
    "7d, 604800",
    "1d2h3m4s, 93784",
    "' 15m ', 900"
  })
  void parsesHumanDurations(String text, long seconds) {
    assertThat(Durations.parse(text)).isEqualTo(Duration.ofSeconds(seconds));
  }

  @ParameterizedTest(name = "refuses ''{0}''")
  @ValueSource(
      strings = {
        "",
        "2",
        "h",
        "2x",
        "-5m",
        "1.5h",
        "0m",
        "0h0m",
        "2h 30m",
        "367d",
        "99999999999999999999s"
      })
  void refusesWhatIsNotADuration(String text) {
    assertThatThrownBy(() -> Durations.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest(name = "{0}s formats as {1}")
  @CsvSource({"5400, 1h30m", "900, 15m", "86400, 1d", "45, 45s", "3601, 1h1s"})
  void formatsTheWayItParses(long seconds, String text) {
    assertThat(Durations.format(Duration.ofSeconds(seconds))).isEqualTo(text);
    assertThat(Durations.parse(text)).isEqualTo(Duration.ofSeconds(seconds));
  }
}
