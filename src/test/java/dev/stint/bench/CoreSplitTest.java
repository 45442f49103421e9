package dev.stint.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CoreSplitTest {
  @Test
  void twoCoresGiveTheServerOneAndTheRestTheOther() {
    CoreSplit split = CoreSplit.of(2).orElseThrow();
    assertThat(split.server()).containsExactly(1);
    assertThat(split.rest()).containsExactly(0);
    assertThat(split.serverLauncher()).containsExactly("taskset", "-c", "1");
  }

  @Test
  void oddCountsGiveTheServerTheLargerHalf() {
    CoreSplit split = CoreSplit.of(5).orElseThrow();
    assertThat(split.server()).isEqualTo(List.of(2, 3, 4));
    assertThat(split.rest()).isEqualTo(List.of(0, 1));
  }

  @Test
  void oneCoreCannotBeSplit() {
    assertThat(CoreSplit.of(1)).isEmpty();
  }
}
