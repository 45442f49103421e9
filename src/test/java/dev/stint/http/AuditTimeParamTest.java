package dev.stint.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stint.error.StintException;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AuditTimeParamTest {
  private static final Instant NOW = Instant.parse("2026-05-10T12:00:00Z");

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "7d, 2026-05-03T12:00:00Z",
    "24h, 2026-05-09T12:00:00Z",
    "1h30m, 2026-05-10T10:30:00Z",
    "2026-01-02T03:04:05Z, 2026-01-02T03:04:05Z",
    "2026-01-02T03:04:05.5+02:00, 2026-01-02T01:04:05.5Z",
    "2026-01-02, 2026-01-02T00:00:00Z"
  })
  void readsIsoTimesDatesAndDurationsAgo(String text, Instant expected) {
    assertThat(AuditRoutes.instant("since", text, NOW)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"yesterday", "7 days", "-1d", "2026-13-01", "2026-01-02T03:04:05", "0d"})
  void refusesAnythingElseNamingTheParameter(String text) {
    assertThatThrownBy(() -> AuditRoutes.instant("until", text, NOW))
        .isInstanceOf(StintException.class)
        .hasMessageStartingWith("until must be an ISO-8601 time");
  }
}
