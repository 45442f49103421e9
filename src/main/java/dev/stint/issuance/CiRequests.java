package dev.stint.issuance;

import dev.stint.access.AccessRequest;
import dev.stint.access.Caller;
import dev.stint.access.Grants;
import dev.stint.error.StintException;
import dev.stint.policy.CiExchange;
import dev.stint.policy.CiRule;
import dev.stint.policy.PolicyInForce;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.Optional;

/**
 * {@code GET /v1/exchange/requests/{id}}: a CI job's own request (one it opened by exchanging), to
 * follow its approval. CI tokens cannot read {@code /v1/requests}.
 */
public final class CiRequests {
  private final Grants access;
  private final PolicyInForce policies;
  private final Clock clock;

  public CiRequests(Grants access, PolicyInForce policies, Clock clock) {
    this.access = access;
    this.policies = policies;
    this.clock = clock;
  }

  /**
   * As with the exchange itself, only a token that the request's CI rule accepts now finds it: the
   * subject alone does not say which ref or workflow is asking.
   */
  public Future<AccessRequest> request(Caller caller, String id) {
    return access
        .get(caller, id)
        .compose(
            r ->
                access
                    .ciRuleOf(id)
                    .compose(
                        opener -> {
                          Optional<String> matched =
                              new CiExchange(policies.current())
                                  .match(caller.principal(), r.profile(), clock.instant())
                                  .map(CiRule::name);
                          return r.requester().is(caller.person())
                                  && opener.isPresent()
                                  && matched.equals(opener)
                              ? Future.succeededFuture(r)
                              : Future.<AccessRequest>failedFuture(
                                  StintException.notFound("no request " + id));
                        }));
  }
}
