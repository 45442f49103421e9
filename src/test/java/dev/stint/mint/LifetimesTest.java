package dev.stint.mint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stint.common.Durations;
import dev.stint.error.ErrorCode;
import dev.stint.mint.Lifetimes.Allowed;
import dev.stint.mint.Lifetimes.CloudLimits;
import dev.stint.mint.Lifetimes.Lifetime;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LifetimesTest {
  private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");

  @ParameterizedTest(name = "requested={0} profileMax={1} grantLeft={2} -> {3} floored={4}")
  @CsvSource({
    // requested, profile max, grant left, expected, raised to floor
    "'',     2h,  8h,   2h,    false", // profile max decides
    "30m,    2h,  8h,   30m,   false", // the caller asked for less
    "3h,     2h,  8h,   2h,    false", // asking for more than the profile allows
    "'',     2h,  45m,  45m,   false", // the grant ends first
    "'',     24h, 20h,  12h,   false", // the cloud's maximum
    "'',     2h,  5m,   15m,   true", // grant ends in 5 minutes: AWS floor, deny policy ends it
    "'',     2h,  15m,  15m,   false", // exactly the floor
    "5m,     2h,  8h,   15m,   false", // asking for less than the floor gets the floor
    "10m,    2h,  10m,  15m,   true", // short ask and short grant
    "'',     2h,  1s,   15m,   true", // one second left still gets a (denied-after) session
    "'',     10m, 8h,   15m,   false", // a profile max under the floor gets the floor
  })
  void capsAtTheShortestLimit(
      String requested, String profileMax, String left, String expected, boolean floored) {
    Allowed ask =
        new Allowed(
            requested.isEmpty() ? Optional.empty() : Optional.of(parse(requested)),
            parse(profileMax),
            NOW.plus(parse(left)));

    Lifetime lifetime = Lifetimes.cap(ask, CloudLimits.AWS, NOW);

    assertThat(lifetime).isEqualTo(new Lifetime(parse(expected), floored));
  }

  @ParameterizedTest(name = "requested={0} tokenMax={1} grantLeft={2} -> {3}, ends within {4}")
  @CsvSource({
    // requested, token max, grant left, expected lifetime, latest end from now
    "'',   15m, 8h,  15m, 15m", // the token maximum decides
    "10m,  15m, 8h,  10m, 15m", // the caller asked for less; the end stays the cap
    "'',   2h,  8h,  1h,  2h", // the cloud's maximum is shorter
    "'',   15m, 5m,  5m,  5m", // the grant ends first
    "'',   '',  45m, 45m, 45m", // no token maximum: the grant's end
  })
  void aProfilesTokenMaximumCapsTheLifetimeAndTheLatestEnd(
      String requested, String tokenMax, String left, String expected, String latestEnd) {
    Allowed ask =
        new Allowed(
            requested.isEmpty() ? Optional.empty() : Optional.of(parse(requested)),
            parse("2h"),
            NOW.plus(parse(left)),
            tokenMax.isEmpty() ? Optional.empty() : Optional.of(parse(tokenMax)));

    assertThat(Lifetimes.cap(ask, CloudLimits.GCP, NOW).duration()).isEqualTo(parse(expected));
    assertThat(Lifetimes.latestEnd(ask, NOW)).isEqualTo(NOW.plus(parse(latestEnd)));
  }

  @ParameterizedTest
  @CsvSource({"0s", "-1s", "-2h"})
  void refusesWhenTheGrantHasEnded(String offset) {
    Allowed ask =
        new Allowed(
            Optional.empty(),
            Duration.ofHours(1),
            NOW.plus(Duration.parse("PT" + offset.toUpperCase(Locale.ROOT))));

    assertThatThrownBy(() -> Lifetimes.cap(ask, CloudLimits.AWS, NOW))
        .isInstanceOfSatisfying(
            MintException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN);
              assertThat(e.retryable()).isFalse();
            });
  }

  @ParameterizedTest
  @CsvSource({"PT0S, PT1H", "PT-1M, PT1H", "PT1H, PT0S"})
  void refusesNonPositiveDurations(Duration requested, Duration profileMax) {
    Allowed ask = new Allowed(Optional.of(requested), profileMax, NOW.plus(Duration.ofHours(1)));

    assertThatThrownBy(() -> Lifetimes.cap(ask, CloudLimits.AWS, NOW))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void dropsFractionsOfASecondSoTheCredentialNeverOutlivesTheGrant() {
    Allowed ask =
        new Allowed(Optional.empty(), Duration.ofHours(2), NOW.plusSeconds(3600).plusMillis(999));

    assertThat(Lifetimes.cap(ask, CloudLimits.AWS, NOW).duration()).isEqualTo(Duration.ofHours(1));
  }

  private static Duration parse(String s) {
    return Durations.parse(s);
  }
}
