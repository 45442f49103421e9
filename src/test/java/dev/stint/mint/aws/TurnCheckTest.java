package dev.stint.mint.aws;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;

/**
 * A call leaves on its turn or not at all; the SDK's retry of the same call (after a throttle's
 * backoff) and a call given no turn are let through.
 */
class TurnCheckTest {
  private final TurnCheck check = new TurnCheck();

  @Test
  void aCallOnItsTurnLeaves() {
    assertThatCode(() -> check.beforeTransmission(null, turnAgo(Duration.ZERO)))
        .doesNotThrowAnyException();
  }

  @Test
  void aCallLateForItsTurnDoesNotLeave() {
    assertThatThrownBy(
            () -> check.beforeTransmission(null, turnAgo(TurnCheck.LATE.multipliedBy(2))))
        .isInstanceOf(TurnCheck.Missed.class)
        .hasMessageContaining("late for its turn");
  }

  @Test
  void theSdksRetryOfACallThatLeftIsLetThrough() {
    ExecutionAttributes attributes = turnAgo(Duration.ZERO);
    check.beforeTransmission(null, attributes);
    attributes.putAttribute(TurnCheck.TURN, System.nanoTime() - Duration.ofSeconds(5).toNanos());
    assertThatCode(() -> check.beforeTransmission(null, attributes)).doesNotThrowAnyException();
  }

  @Test
  void aCallWithoutATurnIsNotChecked() {
    assertThatCode(() -> check.beforeTransmission(null, new ExecutionAttributes()))
        .doesNotThrowAnyException();
  }

  private static ExecutionAttributes turnAgo(Duration ago) {
    ExecutionAttributes attributes = new ExecutionAttributes();
    attributes.putAttribute(TurnCheck.TURN, System.nanoTime() - ago.toNanos());
    return attributes;
  }
}
