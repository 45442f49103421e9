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
   * Start to start between two calls to one account and region, from any replica, against
   * CloudTrail's two a second. A turn is when a call may leave, not when it reaches AWS: the
   * database's answer, building and signing the request and the network delay each call
   * differently. Three arrivals in one second need two gaps in a row to add up to less than a
   * second, so with turns this far apart those delays must shrink the two gaps by more than twice
   * the spacing less a second before a call is throttled; with turns exactly at the limit, half a
   * second apart, any unevenness at all could be.
   */
  static final Duration SPACING = Duration.ofMillis(600);

  /**
   * How late a call may leave: the turns are spaced apart by more than CloudTrail's limit needs,
   * and this is half that room, for each of two turns in a row.
   */
  static final Duration LATE = SPACING.multipliedBy(2).minusSeconds(1).dividedBy(2);

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
