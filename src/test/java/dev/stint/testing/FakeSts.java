package dev.stint.testing;

import dev.stint.demo.StsStandIn;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The demo's STS stand-in plus what tests need: every request's parameters ({@code RoleArn}, {@code
 * DurationSeconds}, {@code RoleSessionName}, {@code SourceIdentity}, {@code
 * Tags.member.N.Key/Value}, {@code Policy}, {@code WebIdentityToken}) are recorded (see {@link
 * #calls()}) and calls fail on demand. Point the SDK at {@link #uri()}.
 */
public final class FakeSts extends StsStandIn {
  /** A programmable failure for the next call(s). */
  public enum Failure {
    ACCESS_DENIED,
    THROTTLING,
    SERVER_ERROR,
    SLOW,
    REGION_DISABLED,
    DURATION_TOO_LONG,
    INVALID_IDENTITY_TOKEN
  }

  /**
   * A call held in flight: {@code arrived} completes when STS has made the credentials, the answer
   * is sent once the test completes {@code release}.
   */
  public record Hold(CompletableFuture<Call> arrived, CompletableFuture<Void> release) {}

  private final Deque<Failure> failures = new ArrayDeque<>();
  private final Deque<Hold> holds = new ArrayDeque<>();
  private volatile Failure always;
  private volatile Duration slowFor = Duration.ofSeconds(2);

  public FakeSts() {
    this(Clock.systemUTC());
  }

  public FakeSts(Clock clock) {
    super(clock);
  }

  /** A fake that keeps no record of calls or credentials, so that load can run for minutes. */
  public static FakeSts forLoad() {
    FakeSts sts = new FakeSts();
    sts.stopRecording();
    return sts;
  }

  /** The next calls fail in this order, one failure each; later calls succeed. */
  public synchronized FakeSts failNext(Failure... next) {
    failures.addAll(List.of(next));
    return this;
  }

  /** Every call fails this way until {@link #reset()}. */
  public FakeSts failAlways(Failure failure) {
    this.always = failure;
    return this;
  }

  /** How long a {@link Failure#SLOW} answer takes. */
  public FakeSts slowFor(Duration delay) {
    this.slowFor = delay;
    return this;
  }

  /** The next successful assume call is answered only when the test releases it. */
  public synchronized Hold holdNext() {
    Hold hold = new Hold(new CompletableFuture<>(), new CompletableFuture<>());
    holds.add(hold);
    return hold;
  }

  public synchronized void reset() {
    failures.clear();
    holds.forEach(h -> h.release().complete(null));
    holds.clear();
    always = null;
  }

  @Override
  protected Answer answer(Call call) {
    if (!isAssume(call)) {
      return super.answer(call);
    }
    Failure failure = nextFailure();
    if (failure != null && failure != Failure.SLOW) {
      return failure(failure, call);
    }
    // A slow STS holds the answer on a timer: no thread of the fake waits, as none of AWS's does.
    Answer answer =
        failure == Failure.SLOW ? super.answer(call).after(slowFor) : super.answer(call);
    Hold hold = nextHold();
    if (hold == null) {
      return answer;
    }
    hold.arrived().complete(call);
    return answer.until(hold.release());
  }

  private synchronized Hold nextHold() {
    return holds.poll();
  }

  private synchronized Failure nextFailure() {
    Failure next = failures.poll();
    return next != null ? next : always;
  }

  private Answer failure(Failure failure, Call call) {
    return switch (failure) {
      case ACCESS_DENIED ->
          error(
              403,
              "Sender",
              "AccessDenied",
              "User: arn:aws:iam::111122223333:"
                  + "user/stint is not authorized to perform: sts:AssumeRole on resource: "
                  + call.param("RoleArn"));
      case THROTTLING -> error(400, "Sender", "Throttling", "Rate exceeded");
      case SERVER_ERROR -> error(500, "Receiver", "InternalFailure", "An internal error occurred");
      case REGION_DISABLED ->
          error(
              403,
              "Sender",
              "RegionDisabledException",
              "STS is not activated in this region for account:111122223333");
      case DURATION_TOO_LONG ->
          error(
              400,
              "Sender",
              "ValidationError",
              "The requested "
                  + "DurationSeconds exceeds the MaxSessionDuration set for this role.");
      case INVALID_IDENTITY_TOKEN ->
          error(
              400,
              "Sender",
              "InvalidIdentityToken",
              "Couldn't retrieve verification key from your identity provider");
      case SLOW -> throw new IllegalStateException("SLOW is not an error answer");
    };
  }
}
