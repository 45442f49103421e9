package dev.stint.testing;

import dev.stint.demo.IamStandIn;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * The demo's IAM stand-in ({@code GetRolePolicy}/{@code PutRolePolicy} on inline role policies)
 * with programmable failures per call and a hook after each successful put, for tests.
 */
public final class FakeIam extends IamStandIn {
  /** A programmable failure for the next call. */
  public enum Failure {
    THROTTLING,
    CONCURRENT_MODIFICATION,
    ACCESS_DENIED,
    SERVER_ERROR,
    LIMIT_EXCEEDED
  }

  /** A call held in flight: {@code arrived} completes with it; its answer waits for release. */
  public record Hold(CompletableFuture<Call> arrived, CompletableFuture<Void> release) {}

  private record Pending(Predicate<Call> which, Hold hold) {}

  private final Deque<Failure> failures = new ArrayDeque<>();
  private final List<Pending> holds = new ArrayList<>();
  private volatile Runnable afterPut = () -> {};

  @Override
  public FakeIam createRole(String roleName) {
    super.createRole(roleName);
    return this;
  }

  public synchronized FakeIam failNext(Failure... next) {
    failures.addAll(List.of(next));
    return this;
  }

  /** Runs after each successful PutRolePolicy: simulates a concurrent writer. */
  public FakeIam afterPut(Runnable hook) {
    this.afterPut = hook;
    return this;
  }

  @Override
  protected void afterPut() {
    afterPut.run();
  }

  /**
   * The next call that {@code which} matches is answered only when the test releases it. Its effect
   * happens at once (a put is stored before the answer waits), as when IAM accepted a change whose
   * answer never reached the caller.
   */
  public synchronized Hold holdNext(Predicate<Call> which) {
    Hold hold = new Hold(new CompletableFuture<>(), new CompletableFuture<>());
    holds.add(new Pending(which, hold));
    return hold;
  }

  @Override
  protected Answer answer(Call call) {
    Failure failure = nextFailure();
    if (failure != null) {
      return failure(failure);
    }
    Answer answer = super.answer(call);
    Hold hold = holdFor(call);
    if (hold == null) {
      return answer;
    }
    hold.arrived().complete(call);
    return answer.until(hold.release());
  }

  private synchronized Hold holdFor(Call call) {
    for (var it = holds.iterator(); it.hasNext(); ) {
      Pending pending = it.next();
      if (pending.which().test(call)) {
        it.remove();
        return pending.hold();
      }
    }
    return null;
  }

  private synchronized Failure nextFailure() {
    return failures.poll();
  }

  private static Answer failure(Failure failure) {
    return switch (failure) {
      case THROTTLING -> error(400, "Sender", "Throttling", "Rate exceeded");
      case CONCURRENT_MODIFICATION ->
          error(
              409,
              "Sender",
              "ConcurrentModification",
              "Rate exceeded for concurrent modifications");
      case ACCESS_DENIED ->
          error(
              403,
              "Sender",
              "AccessDenied",
              "User: arn:aws:iam::111122223333:"
                  + "user/stint is not authorized to perform: iam:PutRolePolicy");
      case SERVER_ERROR -> error(500, "Receiver", "ServiceFailure", "internal failure");
      case LIMIT_EXCEEDED ->
          error(
              409,
              "Sender",
              "LimitExceeded",
              "Maximum policy size of 10240 bytes exceeded for role");
    };
  }
}
