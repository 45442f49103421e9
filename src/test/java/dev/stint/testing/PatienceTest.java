package dev.stint.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PatienceTest {
  @Test
  void boundsAreStretchedThreefoldUnlessTheRunSaysOtherwise() {
    assertThat(Patience.factorOf(null)).isIn(3, envFactor());
    assertThat(Patience.factorOf("5")).isEqualTo(5);
    assertThat(Patience.factorOf(" 1 ")).isEqualTo(1);
    assertThat(Patience.of(Duration.ofSeconds(10)))
        .isEqualTo(Duration.ofSeconds(10L * Patience.factor()));
    assertThat(Patience.seconds(2)).isEqualTo(2_000L * Patience.factor());
    assertThat(Patience.minutes(1)).isEqualTo(60_000L * Patience.factor());
  }

  @Test
  void aFactorBelowOneIsRefused() {
    assertThatThrownBy(() -> Patience.factorOf("0"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 1");
    assertThatThrownBy(() -> Patience.factorOf("soon")).isInstanceOf(NumberFormatException.class);
  }

  private static int envFactor() {
    String given = System.getenv("STINT_TEST_PATIENCE");
    return given == null || given.isBlank() ? 3 : Integer.parseInt(given.trim());
  }
}
