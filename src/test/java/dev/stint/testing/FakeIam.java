package dev.stint.testing;

import dev.stint.demo.IamStandIn;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The demo's IAM stand-in ({@code GetRolePolicy}/{@code PutRolePolicy} on inline role policies)
 * with programmable failures per call and a hook after each successful put, for tests.
 */
public final class FakeIam extends IamStandIn {
  /** A programmable failure for the next call. */
  public enum Failure { THROTTLING, CONCURRENT_MODIFICATION, ACCESS_DENIED, SERVER_ERROR, LIMIT_EXCEEDED }

  private final Deque<Failure> failures = new ArrayDeque<>();
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

  @Override
  protected Answer answer(Call call) {
    Failure failure = nextFailure();
    return failure == null ? super.answer(call) : failure(failure);
  }

  private synchronized Failure nextFailure() {
    return failures.poll();
  }

  private static Answer failure(Failure failure) {
    return switch (failure) {
      case THROTTLING -> error(400, "Sender", "Throttling", "Rate exceeded");
      case CONCURRENT_MODIFICATION -> error(409, "Sender", "ConcurrentModification",
          "Rate exceeded for concurrent modifications");
      case ACCESS_DENIED -> error(403, "Sender", "AccessDenied", "User: arn:aws:iam::111122223333:"
          + "user/stint is not authorized to perform: iam:PutRolePolicy");
      case SERVER_ERROR -> error(500, "Receiver", "ServiceFailure", "internal failure");
      case LIMIT_EXCEEDED -> error(409, "Sender", "LimitExceeded",
          "Maximum policy size of 10240 bytes exceeded for role");
    };
  }
}
