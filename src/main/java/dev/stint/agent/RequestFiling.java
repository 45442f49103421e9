package dev.stint.agent;

import dev.stint.access.AccessRequest;
import dev.stint.access.AccessRequest.RequestState;
import dev.stint.access.Caller;
import dev.stint.access.NewRequest;
import dev.stint.access.Requests;
import dev.stint.common.ParameterValues;
import dev.stint.error.ErrorCode;
import dev.stint.error.StintException;
import dev.stint.identity.Directory;
import dev.stint.identity.Principal;
import dev.stint.people.StoredClaims;
import dev.stint.policy.PolicyInForce;
import io.vertx.core.Future;
import java.util.Optional;
import java.util.Set;

/**
 * An ask whose person holds no active grant of the profile: a request in the person's name, judged
 * on their claims as verified when they enrolled the agent and as the directory has them now
 * (nobody, once it deprovisioned them), carrying the agent and its task in its reason, through the
 * profile's approval as any request. An ask while such a request of the person's is pending is
 * answered with that request, nothing filed: an agent asking in a loop fills no approver's queue.
 */
final class RequestFiling {
  private final Requests requests;
  private final PolicyInForce policies;
  private final Directory directory;

  RequestFiling(Requests requests, PolicyInForce policies, Directory directory) {
    this.requests = requests;
    this.policies = policies;
    this.directory = directory;
  }

  Future<AccessRequest> file(Agent agent, Caller caller, AgentAsk asked) {
    Principal person =
        StoredClaims.principal(
                agent.ownerClaims(),
                agent.owner().issuer(),
                agent.owner().subject(),
                policies.current()::issuer,
                directory)
            .orElseThrow(
                () ->
                    new StintException(
                        ErrorCode.FORBIDDEN,
                        agent.ownerLabel()
                            + " can no longer be vouched for (their issuer left the policy, or the"
                            + " directory deprovisioned them): nothing was filed"));
    Caller as = new Caller(person, caller.clientAddress(), caller.userAgent());
    Requests.Filter pending =
        new Requests.Filter(
            Set.of(RequestState.PENDING),
            Optional.of(agent.owner()),
            Optional.of(asked.profile()),
            false,
            Requests.Filter.MAX_LIMIT);
    return requests
        .page(as, pending)
        .compose(
            page ->
                page.requests().stream()
                    .filter(r -> r.requester().is(agent.owner()))
                    .findFirst()
                    .map(Future::succeededFuture)
                    .orElseGet(() -> requests.create(as, request(agent, asked))));
  }

  private static NewRequest request(Agent agent, AgentAsk asked) {
    String reason =
        "asked by agent " + agent.name() + " (" + agent.ownerLabel() + "'s): " + asked.task();
    return new NewRequest(
        asked.profile(),
        asked.duration(),
        reason,
        Optional.empty(),
        Optional.empty(),
        false,
        NewRequest.Narrowed.asked(asked.parameters().orElse(ParameterValues.NONE)));
  }
}
