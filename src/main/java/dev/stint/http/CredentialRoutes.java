package dev.stint.http;

import dev.stint.error.ErrorCode;
import dev.stint.error.StintException;
import dev.stint.issuance.CiRequests;
import dev.stint.issuance.ConsoleService;
import dev.stint.issuance.Issuance;
import dev.stint.issuance.LeaseIssuance;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * {@code POST /v1/credentials} (mint for the caller's active grant), {@code POST /v1/console} (an
 * AWS console link for it) and {@code POST /v1/exchange} (a CI token for a profile, under a CI
 * rule): the HTTP front ends of the one {@link Issuance} pipeline; and {@code POST /v1/credentials
 * {lease}}, minting on a task lease ({@link LeaseIssuance}), whoever asks: a lease token's bearer
 * as {@link Authentication} resolved them, or the agent the lease names. They read the body, ask
 * one use case, and write the answer; they decide nothing.
 */
public final class CredentialRoutes implements ApiModule {
  private static final Set<String> EXCHANGE_FIELDS = Set.of("profile", "duration_seconds");
  private static final Set<String> FIELDS =
      Set.of("profile", "duration_seconds", "parameters", "lease");
  private static final Set<String> CONSOLE_FIELDS =
      Set.of("profile", "destination", "region", "parameters");

  private final Issuance issuance;
  private final CiRequests ciRequests;
  private final ConsoleService console;
  private final Clock clock;
  private final Optional<LeaseIssuance> onLeases;

  public CredentialRoutes(
      Issuance issuance, CiRequests ciRequests, ConsoleService console, Clock clock) {
    this(issuance, ciRequests, console, clock, Optional.empty());
  }

  public CredentialRoutes(
      Issuance issuance,
      CiRequests ciRequests,
      ConsoleService console,
      Clock clock,
      Optional<LeaseIssuance> onLeases) {
    this.issuance = issuance;
    this.ciRequests = ciRequests;
    this.console = console;
    this.clock = clock;
    this.onLeases = onLeases;
  }

  @Override
  public void register(Router v1) {
    v1.post("/credentials").handler(this::credentials);
    v1.post("/exchange").handler(this::exchange);
    v1.get("/exchange/requests/:id").handler(this::exchangeRequest);
    v1.post("/console").handler(this::console);
  }

  private void console(RoutingContext ctx) {
    JsonBodies body = JsonBodies.read(ctx, CONSOLE_FIELDS);
    console
        .link(
            RequestRoutes.caller(ctx),
            body.requiredString("profile"),
            new ConsoleService.Where(
                body.optionalString("destination"), body.optionalString("region")),
            body.parameters("parameters"))
        .onComplete(
            done -> {
              if (done.failed()) {
                ctx.fail(done.cause());
              } else {
                ctx.json(CredentialJson.of(done.result()));
              }
            });
  }

  private void exchange(RoutingContext ctx) {
    // A CI job's values are its rule's: a job cannot choose what it is narrowed to.
    JsonBodies body = JsonBodies.read(ctx, EXCHANGE_FIELDS);
    String profile = body.requiredString("profile");
    issuance
        .issue(
            new Issuance.Ask(
                RequestRoutes.caller(ctx), profile, requested(body), Issuance.Channel.CI))
        .onComplete(
            done -> {
              if (done.failed()) {
                ctx.fail(done.cause());
              } else if (done.result() instanceof Issuance.Outcome.Minted minted) {
                ctx.json(CredentialJson.of(minted.issued()));
              } else {
                var pending = (Issuance.Outcome.Pending) done.result();
                ctx.response()
                    .setStatusCode(202)
                    .putHeader("Location", "/v1/exchange/requests/" + pending.request().id());
                ctx.json(
                    new JsonObject()
                        .put("state", "approval_required")
                        .put("request", RequestJson.of(pending.request(), clock.instant())));
              }
            });
  }

  /** A CI job's own request, for waiting on its approval: CI tokens cannot read /v1/requests. */
  private void exchangeRequest(RoutingContext ctx) {
    ciRequests
        .request(RequestRoutes.caller(ctx), ctx.pathParam("id"))
        .onComplete(
            done -> {
              if (done.failed()) {
                ctx.fail(done.cause());
              } else {
                ctx.json(RequestJson.of(done.result(), clock.instant()));
              }
            });
  }

  /**
   * A credential on task lease {@code lease}: a lease fixes its profile and parameters, so a body
   * naming either is refused before anything else.
   */
  private void onLease(RoutingContext ctx, JsonBodies body, String lease) {
    if (body.optionalString("profile").isPresent() || !body.parameters("parameters").isEmpty()) {
      throw StintException.invalid(
          "a lease fixes its profile and parameters: give 'lease' and at most 'duration_seconds'");
    }
    LeaseIssuance on =
        onLeases.orElseThrow(
            () -> new StintException(ErrorCode.UNAVAILABLE, "task leases are not served here"));
    on.issue(new LeaseIssuance.LeaseAsk(RequestRoutes.caller(ctx), lease, requested(body)))
        .onSuccess(issued -> ctx.json(CredentialJson.of(issued)))
        .onFailure(ctx::fail);
  }

  private static Optional<Duration> requested(JsonBodies body) {
    return body.optionalLong("duration_seconds").map(CredentialRoutes::asked);
  }

  /** A credential's or a lease's {@code duration_seconds}: one second to one day. */
  static Duration asked(long seconds) {
    if (seconds <= 0 || seconds > Duration.ofDays(1).toSeconds()) {
      throw StintException.invalid("'duration_seconds' must be between 1 and 86400");
    }
    return Duration.ofSeconds(seconds);
  }

  private void credentials(RoutingContext ctx) {
    JsonBodies body = JsonBodies.read(ctx, FIELDS);
    Optional<String> lease = body.optionalString("lease");
    if (lease.isPresent()) {
      onLease(ctx, body, lease.get());
      return;
    }
    String profile = body.requiredString("profile");
    Optional<Duration> requested = requested(body);
    issuance
        .issue(
            new Issuance.Ask(
                RequestRoutes.caller(ctx),
                profile,
                requested,
                Issuance.Channel.CREDENTIALS,
                Optional.empty(),
                body.parameters("parameters")))
        .onComplete(
            done -> {
              if (done.failed()) {
                ctx.fail(done.cause());
              } else {
                ctx.json(CredentialJson.of(((Issuance.Outcome.Minted) done.result()).issued()));
              }
            });
  }
}
