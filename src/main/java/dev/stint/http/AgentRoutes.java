package dev.stint.http;

import dev.stint.agent.AgentDesk;
import dev.stint.agent.AgentShown;
import dev.stint.agent.NewAgent;
import dev.stint.error.StintException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A person's agents (ARCHITECTURE §14, "Agents that ask"): {@code POST /v1/agents {name, profiles,
 * expires_in?}} ({@code expires_in} in seconds; {@code 201} with its token, once), {@code GET
 * /v1/agents} (the caller's own, with what each asked), {@code POST /v1/agents/{id}/revoke} (which
 * ends every lease it asked). An agent's own token is refused here, as everywhere but its routes
 * ({@link AgentAskRoutes}).
 */
public final class AgentRoutes implements ApiModule {
  private static final Set<String> FIELDS = Set.of("name", "profiles", "expires_in");

  private final AgentDesk desk;
  private final Clock clock;

  public AgentRoutes(AgentDesk desk, Clock clock) {
    this.desk = desk;
    this.clock = clock;
  }

  @Override
  public void register(Router v1) {
    v1.post("/agents").handler(this::enroll);
    v1.get("/agents").handler(this::mine);
    v1.post("/agents/:id/revoke").handler(this::revoke);
  }

  private void enroll(RoutingContext ctx) {
    JsonBodies body = JsonBodies.read(ctx, FIELDS);
    NewAgent asked =
        new NewAgent(
            body.requiredString("name"),
            body.optionalStrings("profiles")
                .orElseThrow(() -> StintException.invalid("'profiles' names at least one profile")),
            expiresIn(body.optionalLong("expires_in")));
    desk.enroll(RequestRoutes.caller(ctx), asked)
        .onSuccess(
            enrolled -> {
              JsonObject out =
                  AgentJson.of(enrolled.agent(), List.of(), clock.instant())
                      .put("agent_token", enrolled.token());
              ctx.response()
                  .setStatusCode(201)
                  .putHeader("Location", "/v1/agents/" + enrolled.agent().id())
                  .putHeader("Cache-Control", "no-store");
              ctx.json(out);
            })
        .onFailure(ctx::fail);
  }

  /** {@code expires_in}: whole seconds; thirty days when absent. */
  private static Duration expiresIn(Optional<Long> seconds) {
    return seconds.map(Duration::ofSeconds).orElse(NewAgent.DEFAULT_EXPIRY);
  }

  private void mine(RoutingContext ctx) {
    desk.mine(RequestRoutes.caller(ctx))
        .onSuccess(
            agents -> {
              JsonArray out = new JsonArray();
              for (AgentShown a : agents) {
                out.add(AgentJson.of(a.agent(), a.asked(), clock.instant()));
              }
              ctx.json(new JsonObject().put("agents", out));
            })
        .onFailure(ctx::fail);
  }

  private void revoke(RoutingContext ctx) {
    JsonBodies.read(ctx, Set.of());
    desk.revoke(RequestRoutes.caller(ctx), ctx.pathParam("id"))
        .onSuccess(agent -> ctx.json(AgentJson.of(agent, List.of(), clock.instant())))
        .onFailure(ctx::fail);
  }
}
