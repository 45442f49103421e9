package dev.stint.http;

import dev.stint.access.AccessRequest;
import dev.stint.activity.GrantActivity;
import dev.stint.agent.Agent;
import dev.stint.agent.AgentAsk;
import dev.stint.agent.AgentAsking;
import dev.stint.common.ParameterValues;
import dev.stint.lease.Lease;
import dev.stint.lease.LeaseTerms;
import dev.stint.lease.LeaseViews;
import dev.stint.policy.Parameter;
import dev.stint.policy.PolicyInForce;
import dev.stint.policy.Profile;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * An enrolled agent's own routes, the only ones its token is taken on besides minting its leases
 * ({@link AgentTokenKind}): {@code GET /v1/agent} (itself and what it may ask for), {@code POST
 * /v1/agent/leases} (ask: a pending lease, {@code 201 {lease_id, state, approval_url}}; or, with no
 * active grant of the person's, a request in their name, {@code 201 {lease_id: null, request_id,
 * state, approval_url}}), {@code GET /v1/agent/leases}, {@code GET /v1/agent/leases/{id}}, {@code
 * GET /v1/agent/leases/{id}/activity}, {@code POST /v1/agent/leases/{id}/end}. A lease another
 * agent asked is refused as forbidden.
 */
public final class AgentAskRoutes implements ApiModule {
  private static final Set<String> FIELDS =
      Set.of("profile", "task", "duration_seconds", "parameters", "session_policy");

  private final AgentAsking asking;
  private final LeaseViews views;
  private final GrantActivity activity;
  private final PolicyInForce policies;
  private final URI publicUrl;
  private final Clock clock;

  public AgentAskRoutes(
      AgentAsking asking,
      LeaseViews views,
      GrantActivity activity,
      PolicyInForce policies,
      URI publicUrl,
      Clock clock) {
    this.asking = asking;
    this.views = views;
    this.activity = activity;
    this.policies = policies;
    this.publicUrl = publicUrl;
    this.clock = clock;
  }

  @Override
  public void register(Router v1) {
    v1.get("/agent").handler(this::self);
    v1.post("/agent/leases").handler(this::ask);
    v1.get("/agent/leases").handler(this::asked);
    v1.get("/agent/leases/:id").handler(this::lease);
    v1.get("/agent/leases/:id/activity").handler(this::activity);
    v1.post("/agent/leases/:id/end").handler(this::end);
  }

  private void self(RoutingContext ctx) {
    asking
        .self(RequestRoutes.caller(ctx))
        .onSuccess(agent -> ctx.json(self(agent)))
        .onFailure(ctx::fail);
  }

  private JsonObject self(Agent agent) {
    JsonArray profiles = new JsonArray();
    for (String name : agent.profiles()) {
      policies.current().profile(name).ifPresent(p -> profiles.add(profile(p)));
    }
    return new JsonObject()
        .put("id", agent.id())
        .put("name", agent.name())
        .put("owner", agent.ownerLabel())
        .put("expires_at", agent.expiresAt().toString())
        .put("profiles", profiles);
  }

  private static JsonObject profile(Profile p) {
    JsonObject parameters = new JsonObject();
    for (Parameter param : p.parameters().values()) {
      parameters.put(
          param.name(),
          new JsonObject()
              .put("pattern", param.pattern().toString())
              .put("description", param.description()));
    }
    return new JsonObject()
        .put("name", p.name())
        .put("description", p.description())
        .put("max_duration_seconds", p.leases().map(l -> l.maxDuration().toSeconds()).orElse(0L))
        .put("parameters", parameters);
  }

  private void ask(RoutingContext ctx) {
    JsonBodies body = JsonBodies.read(ctx, FIELDS);
    ParameterValues parameters = body.parameters("parameters");
    AgentAsk asked =
        new AgentAsk(
            body.requiredString("profile"),
            body.requiredString("task"),
            CredentialRoutes.asked(body.requiredLong("duration_seconds")),
            parameters.isEmpty() ? Optional.empty() : Optional.of(parameters),
            body.optionalJson("session_policy").map(LeaseTerms::statementsOf));
    asking
        .ask(RequestRoutes.caller(ctx), asked)
        .onSuccess(
            filed -> {
              JsonObject out =
                  filed.lease().isPresent()
                      ? answer(filed.lease().get())
                      : requested(filed.request().orElseThrow());
              ctx.response().setStatusCode(201).putHeader("Location", location(filed));
              ctx.json(out);
            })
        .onFailure(ctx::fail);
  }

  private static String location(AgentAsking.Asked filed) {
    return filed
        .lease()
        .map(l -> "/v1/agent/leases/" + l.id())
        .orElseGet(() -> "/v1/requests/" + filed.request().orElseThrow().id());
  }

  /**
   * A request filed in the person's name because they held no active grant: where its approvers
   * approve it; once it is, the agent asks again for its lease.
   */
  private JsonObject requested(AccessRequest r) {
    return new JsonObject()
        .put("lease_id", (String) null)
        .put("request_id", r.id())
        .put("profile", r.profile())
        .put("state", r.state().code())
        .put("approval_url", publicUrl.resolve("/ui/requests/" + r.id()).toString());
  }

  /** A lease as its agent reads it: its state and where a person approves it, never a secret. */
  private JsonObject answer(Lease lease) {
    Instant now = clock.instant();
    return LeaseJson.of(lease, now)
        .put("lease_id", lease.id())
        .put("approval_url", publicUrl.resolve("/ui/leases/" + lease.id()).toString());
  }

  private void asked(RoutingContext ctx) {
    asking
        .asked(RequestRoutes.caller(ctx))
        .onSuccess(
            leases -> {
              JsonArray out = new JsonArray();
              leases.forEach(l -> out.add(answer(l)));
              ctx.json(new JsonObject().put("leases", out));
            })
        .onFailure(ctx::fail);
  }

  private void lease(RoutingContext ctx) {
    asking
        .lease(RequestRoutes.caller(ctx), ctx.pathParam("id"))
        .onSuccess(asked -> ctx.json(answer(asked.lease())))
        .onFailure(ctx::fail);
  }

  private void end(RoutingContext ctx) {
    JsonBodies.read(ctx, Set.of());
    asking
        .end(RequestRoutes.caller(ctx), ctx.pathParam("id"))
        .onSuccess(lease -> ctx.json(answer(lease)))
        .onFailure(ctx::fail);
  }

  /** The calls made with the lease's credentials, as its person reads them. */
  private void activity(RoutingContext ctx) {
    Optional<String> cursor = Optional.ofNullable(ctx.request().getParam("cursor"));
    asking
        .lease(RequestRoutes.caller(ctx), ctx.pathParam("id"))
        .compose(asked -> views.get(asked.person(), asked.lease().id()))
        .compose(
            shown -> {
              Lease lease = shown.lease();
              List<String> ids = shown.credentials().stream().map(c -> c.entry().id()).toList();
              Future<GrantActivity.View> view =
                  activity.ofCredentials(lease.requestId(), ids, cursor);
              return view.map(
                  v ->
                      ActivityRoutes.json(v)
                          .put("lease_id", lease.id())
                          .put("state", lease.stateAt(clock.instant()))
                          .put("credentials", ids.size()));
            })
        .onSuccess(ctx::json)
        .onFailure(ctx::fail);
  }
}
