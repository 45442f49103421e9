package dev.stint.http;

import dev.stint.error.StintException;
import dev.stint.policy.PolicyStore;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;

/** Auditors are whoever the policies' {@code auditors} condition says, evaluated per request. */
public final class PolicyAuditorGate implements AuditorGate {
  private final PolicyStore policies;
  private final Clock clock;

  public PolicyAuditorGate(PolicyStore policies, Clock clock) {
    this.policies = policies;
    this.clock = clock;
  }

  @Override
  public Future<Void> requireAuditor(RoutingContext ctx) {
    boolean auditor = policies.evaluator()
        .isAuditor(Authentication.principal(ctx), clock.instant());
    return auditor ? Future.succeededFuture()
        : Future.failedFuture(StintException.forbidden("reading the audit needs the auditor role"));
  }
}
