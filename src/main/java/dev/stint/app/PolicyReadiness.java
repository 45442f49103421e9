package dev.stint.app;

import dev.stint.http.ReadinessCheck;
import dev.stint.policy.PolicyReload;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * {@code /readyz}'s {@code policies} check. The store always holds a validated policy, so it is
 * always ok: a refused change leaves the last good policy in force, which is correct to serve, and
 * a load balancer must not take every replica out because someone saved a broken file. Until a
 * later change is accepted, the refusal is shown as a warning instead, so that an operator who
 * expects the new policy sees it is not in force: when, and how many problems, but not the
 * problems, which quote the policy's paths, keys and conditions to anyone who can reach {@code
 * /readyz}; they are in the log and in the audit's {@code policy.refused}, for those who may read
 * it.
 */
final class PolicyReadiness implements Consumer<PolicyReload> {
  private final Clock clock;
  private final AtomicReference<Optional<String>> refused = new AtomicReference<>(Optional.empty());

  PolicyReadiness(Clock clock) {
    this.clock = clock;
  }

  @Override
  public void accept(PolicyReload reload) {
    refused.set(
        reload.success() ? Optional.empty() : Optional.of(describe(reload, clock.instant())));
  }

  ReadinessCheck readiness() {
    return new ReadinessCheck("policies", Future::succeededFuture, refused::get);
  }

  private static String describe(PolicyReload reload, Instant at) {
    int problems = reload.problems().size();
    return "stale: a change was refused at "
        + at
        + " ("
        + problems
        + (problems == 1 ? " problem" : " problems")
        + ", in the log and the audit's policy.refused); the last good policy stays in force";
  }
}
