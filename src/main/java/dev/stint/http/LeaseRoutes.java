package dev.stint.http;

import dev.stint.access.Action;
import dev.stint.activity.GrantActivity;
import dev.stint.common.ParameterValues;
import dev.stint.error.StintException;
import dev.stint.identity.Person;
import dev.stint.lease.Lease;
import dev.stint.lease.LeaseTerms;
import dev.stint.lease.LeaseViews;
import dev.stint.lease.Leasing;
import dev.stint.lease.NewLease;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Task leases (ARCHITECTURE §13): {@code POST /v1/requests/{id}/leases} (the grant's holder makes
 * one; {@code 201} with its token, once), {@code GET /v1/requests/{id}/leases}, {@code GET
 * /v1/leases/{id}}, {@code POST /v1/leases/{id}/revoke}, {@code GET /v1/leases/{id}/activity} (the
 * calls made with the lease's own credentials), and where a profile asks a vote for each lease
 * {@code POST /v1/leases/{id}/approve} and {@code /deny}. Minting on a lease is {@code POST
 * /v1/credentials {lease}} ({@link CredentialRoutes}).
 */
public final class LeaseRoutes implements ApiModule {
  private static final Set<String> FIELDS =
      Set.of("task", "duration_seconds", "parameters", "session_policy", "agent");
  private static final Set<String> AGENT_FIELDS = Set.of("issuer", "subject");
  private static final Set<String> REVOKE_FIELDS = Set.of("comment");

  private final Leasing leases;
  private final LeaseViews views;
  private final GrantActivity activity;
  private final Clock clock;

  public LeaseRoutes(Leasing leases, LeaseViews views, GrantActivity activity, Clock clock) {
    this.leases = leases;
    this.views = views;
    this.activity = activity;
    this.clock = clock;
  }

  @Override
  public void register(Router v1) {
    v1.post("/requests/:id/leases").handler(this::create);
    v1.get("/requests/:id/leases").handler(this::ofRequest);
    v1.get("/leases/:id").handler(this::get);
    v1.post("/leases/:id/revoke").handler(this::revoke);
    v1.get("/leases/:id/activity").handler(this::activity);
    v1.post("/leases/:id/approve").handler(ctx -> decide(ctx, Action.APPROVE));
    v1.post("/leases/:id/deny").handler(ctx -> decide(ctx, Action.DENY));
  }

  private void decide(RoutingContext ctx, Action action) {
    JsonBodies body = JsonBodies.read(ctx, REVOKE_FIELDS);
    leases
        .decide(
            RequestRoutes.caller(ctx), ctx.pathParam("id"), action, body.optionalString("comment"))
        .onSuccess(lease -> ctx.json(LeaseJson.of(lease, clock.instant())))
        .onFailure(ctx::fail);
  }

  private void create(RoutingContext ctx) {
    JsonBodies body = JsonBodies.read(ctx, FIELDS);
    NewLease asked = asked(body);
    leases
        .create(RequestRoutes.caller(ctx), ctx.pathParam("id"), asked)
        .onSuccess(
            created -> {
              JsonObject out = LeaseJson.of(created.lease(), clock.instant());
              created.token().ifPresent(t -> out.put("lease_token", t));
              ctx.response()
                  .setStatusCode(201)
                  .putHeader("Location", "/v1/leases/" + created.lease().id())
                  .putHeader("Cache-Control", "no-store");
              ctx.json(out);
            })
        .onFailure(ctx::fail);
  }

  private static NewLease asked(JsonBodies body) {
    Duration duration = CredentialRoutes.asked(body.requiredLong("duration_seconds"));
    ParameterValues parameters = body.parameters("parameters");
    Optional<String> statements = body.optionalJson("session_policy").map(LeaseTerms::statementsOf);
    LeaseTerms ask =
        new LeaseTerms(
            body.requiredString("task"),
            duration,
            parameters.isEmpty() ? Optional.empty() : Optional.of(parameters),
            statements);
    return new NewLease(ask, body.optionalObject("agent").map(LeaseRoutes::agent));
  }

  private static Person agent(JsonObject agent) {
    for (String field : agent.fieldNames()) {
      if (!AGENT_FIELDS.contains(field)) {
        throw StintException.invalid(
            "unknown field 'agent." + field + "'; expected " + AGENT_FIELDS);
      }
    }
    if (!(agent.getValue("issuer") instanceof String issuer)
        || !(agent.getValue("subject") instanceof String subject)) {
      throw StintException.invalid("'agent' names its 'issuer' and 'subject', as strings");
    }
    return new Person(issuer, subject, Optional.empty());
  }

  private void ofRequest(RoutingContext ctx) {
    views
        .ofRequest(RequestRoutes.caller(ctx), ctx.pathParam("id"))
        .onSuccess(
            found -> {
              JsonArray out = new JsonArray();
              found.forEach(l -> out.add(LeaseJson.of(l, clock.instant())));
              ctx.json(new JsonObject().put("leases", out));
            })
        .onFailure(ctx::fail);
  }

  private void get(RoutingContext ctx) {
    views
        .get(RequestRoutes.caller(ctx), ctx.pathParam("id"))
        .onSuccess(
            shown -> ctx.json(LeaseJson.of(shown.lease(), shown.credentials(), clock.instant())))
        .onFailure(ctx::fail);
  }

  private void revoke(RoutingContext ctx) {
    JsonBodies body = JsonBodies.read(ctx, REVOKE_FIELDS);
    leases
        .revoke(RequestRoutes.caller(ctx), ctx.pathParam("id"), body.optionalString("comment"))
        .onSuccess(lease -> ctx.json(LeaseJson.of(lease, clock.instant())))
        .onFailure(ctx::fail);
  }

  /**
   * As {@code GET /v1/requests/{id}/activity} answers, over the lease's own credentials alone (the
   * ledger's, as {@code GET /v1/leases/{id}} lists them), with {@code lease_id}, the lease's {@code
   * state}, and {@code settled}: the lease can mint no more and each of its credentials has had its
   * last lookup.
   */
  private void activity(RoutingContext ctx) {
    Optional<String> cursor = Optional.ofNullable(ctx.request().getParam("cursor"));
    views
        .get(RequestRoutes.caller(ctx), ctx.pathParam("id"))
        .compose(
            shown -> {
              Lease lease = shown.lease();
              Instant now = clock.instant();
              List<String> ids = shown.credentials().stream().map(c -> c.entry().id()).toList();
              Future<GrantActivity.View> view =
                  activity.ofCredentials(lease.requestId(), ids, cursor);
              Future<Boolean> settled = activity.settled(lease.requestId(), ids);
              return Future.all(view, settled)
                  .map(
                      x ->
                          ActivityRoutes.json(view.result())
                              .put("lease_id", lease.id())
                              .put("state", lease.stateAt(now))
                              .put("settled", !lease.liveAt(now) && settled.result()));
            })
        .onSuccess(ctx::json)
        .onFailure(ctx::fail);
  }
}
