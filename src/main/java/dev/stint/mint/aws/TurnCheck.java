package dev.stint.mint.aws;

import java.time.Duration;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * Stops a CloudTrail call that would leave late for its turn ({@link AwsActivity}): a turn spaces
 * when calls may leave, but the SDK builds and signs a request after the turn has come, and its
 * first call in a process (classes loaded, a connection opened) can take longer than the spacing
 * itself; the call would then reach CloudTrail together with the next turn's. Checked right before
 * the request is sent, once per call: the SDK's own retry after a throttle comes after its backoff
 * and is let through.
 */
final class TurnCheck implements ExecutionInterceptor {
  /**
   * How late a call may leave: the turns are spaced apart by more than CloudTrail's limit needs,
   * and this is half that room, for each of two turns in a row.
   */
  static final Duration LATE = AwsActivity.SPACING.multipliedBy(2).minusSeconds(1).dividedBy(2);

  /** When the call's turn came, by {@link System#nanoTime()}; a call without one is not paced. */
  static final ExecutionAttribute<Long> TURN = new ExecutionAttribute<>("stint.cloudtrail.turn");

  private static final ExecutionAttribute<Boolean> SENT =
      new ExecutionAttribute<>("stint.cloudtrail.sent");

  @Override
  public void beforeTransmission(
      Context.BeforeTransmission context, ExecutionAttributes attributes) {
    Long turn = attributes.getAttribute(TURN);
    if (turn == null || attributes.getAttribute(SENT) != null) {
      return;
    }
    attributes.putAttribute(SENT, true);
    long late = System.nanoTime() - turn;
    if (late > LATE.toNanos()) {
      throw new Missed(Duration.ofNanos(late));
    }
  }

  /** A call not sent, because it would have left this late for its turn. */
  static final class Missed extends RuntimeException {
    Missed(Duration late) {
      super("a CloudTrail call not sent: " + late.toMillis() + " ms late for its turn");
    }
  }
}
