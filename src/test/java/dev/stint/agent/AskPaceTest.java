package dev.stint.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stint.error.ErrorCode;
import dev.stint.error.RetryLater;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class AskPaceTest {
  Instant now = Instant.parse("2026-11-29T10:00:00Z");
  final Clock clock =
      new Clock() {
        @Override
        public ZoneOffset getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
          return this;
        }

        @Override
        public Instant instant() {
          return now;
        }
      };

  @Test
  void anAgentAsksUpToTheLimitInAWindowThenWaitsForTheOldestToLeaveIt() {
    AskPace pace = new AskPace(2, Duration.ofMinutes(10), clock);
    pace.take("agt_a");
    now = now.plusSeconds(60);
    pace.take("agt_a");

    assertThatThrownBy(() -> pace.take("agt_a"))
        .isInstanceOfSatisfying(
            RetryLater.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.RATE_LIMITED);
              assertThat(e.retryAfter()).isEqualTo(Duration.ofMinutes(9));
            });
    pace.take("agt_b");
    now = now.plus(Duration.ofMinutes(9));
    pace.take("agt_a");
  }
}
