package dev.stint.common;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stint.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IdsTest {
  @Test
  void idsCarryAHundredAndTwentyRandomBitsAndDoNotRepeat() {
    Ids ids = new Ids();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 1_000; i++) {
      String r = ids.request();
      assertThat(r).matches("req_[a-z2-7]{24}");
      assertThat(seen.add(r)).isTrue();
      assertThat(seen.add(ids.credential())).isTrue();
    }
  }

  /** Credentials sort in the order issued, so the ledger's key grows at its right edge. */
  @Test
  void credentialIdsSortInTheOrderIssued() {
    MutableClock clock = new MutableClock(Instant.parse("2026-11-26T21:00:00Z"));
    Ids ids = new Ids(clock);
    String first = ids.credential();
    clock.advance(Duration.ofMillis(1));
    String second = ids.credential();
    clock.advance(Duration.ofDays(400));
    String later = ids.credential();
    assertThat(first).matches("crd_[0-9a-f]{11}[a-z2-7]{24}");
    assertThat(first).isLessThan(second);
    assertThat(second).isLessThan(later);
  }
}
