package dev.stint.http;

import dev.stint.error.StintException;
import dev.stint.identity.Directory;
import dev.stint.identity.Principal;
import dev.stint.policy.Decision;
import dev.stint.policy.PolicyInForce;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/** Whoever the policy lets read the audit (its auditors), asked afresh on every request. */
public final class PolicyAuditorGate implements AuditorGate {
  private final PolicyInForce policies;
  private final Directory directory;
  private final Clock clock;

  /**
   * {@code directory}: a stream outlives the call that opened it, so the person it reads for is
   * asked of the directory again at each check, as every new call is ({@link Authentication}).
   */
  public PolicyAuditorGate(PolicyInForce policies, Directory directory, Clock clock) {
    this.policies = policies;
    this.directory = directory;
    this.clock = clock;
  }

  @Override
  public Future<Void> requireAuditor(RoutingContext ctx) {
    Decision may =
        policies.evaluator().mayReadAudit(Authentication.principal(ctx), clock.instant());
    return may.allowed()
        ? Future.succeededFuture()
        : Future.failedFuture(StintException.forbidden(may.reason()));
  }

  /**
   * The bearer's token must still be unexpired, the directory must not have deprovisioned them, and
   * they must still be an auditor under the policy (with the directory's groups as they are now).
   */
  @Override
  public StreamReader streamReader(RoutingContext ctx) {
    Principal p = Authentication.principal(ctx);
    return new StreamReader() {
      @Override
      public String person() {
        return p.issuer() + " " + p.subject();
      }

      @Override
      public Future<Optional<String>> endReason(Instant now) {
        if (!p.tokenExpiresAt().isAfter(now)) {
          return Future.succeededFuture(Optional.of("token_expired"));
        }
        Optional<Principal> admitted = directory.admit(p);
        if (admitted.isEmpty()) {
          return Future.succeededFuture(Optional.of("deprovisioned"));
        }
        boolean auditor = policies.evaluator().mayReadAudit(admitted.get(), now).allowed();
        return Future.succeededFuture(auditor ? Optional.empty() : Optional.of("not_auditor"));
      }
    };
  }
}
