package dev.stint.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A flood of refused connections is counted in full but logged at most once per interval. */
class RefusedConnectionsTest {
  private final AtomicLong now = new AtomicLong(1_000);
  private final RefusedConnections refusals = new RefusedConnections(now::get);

  @Test
  void theFirstRefusalIsLoggedAtOnce() {
    assertThat(refusals.refused()).isEqualTo(1);
    assertThat(refusals.total()).isEqualTo(1);
  }

  @Test
  void aFloodGivesOneLinePerIntervalCarryingTheCountInBetween() {
    assertThat(refusals.refused()).as("the first is reported").isEqualTo(1);
    long reported = 0;
    for (int i = 0; i < 1_000; i++) {
      now.addAndGet(RefusedConnections.LINE_EVERY.toNanos() / 2_000);
      reported += refusals.refused();
    }
    assertThat(reported).as("half an interval later nothing more has been logged").isZero();
    now.addAndGet(RefusedConnections.LINE_EVERY.toNanos());
    assertThat(refusals.refused())
        .as("the next line counts every refusal since the last")
        .isEqualTo(1_001);
    assertThat(refusals.refused()).as("and starts a new interval").isZero();
    assertThat(refusals.total()).isEqualTo(1_003);
  }

  @Test
  void aClockThatWrapsStillSpacesTheLines() {
    AtomicLong wrapping = new AtomicLong(Long.MAX_VALUE - 5);
    RefusedConnections near = new RefusedConnections(wrapping::get);
    assertThat(near.refused()).isEqualTo(1);
    wrapping.addAndGet(10);
    assertThat(near.refused()).as("an overflowing nano clock is compared by difference").isZero();
    wrapping.addAndGet(RefusedConnections.LINE_EVERY.toNanos());
    assertThat(near.refused()).isEqualTo(2);
  }
}
