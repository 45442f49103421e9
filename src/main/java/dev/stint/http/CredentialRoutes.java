package dev.stint.http;

import dev.stint.access.Caller;
import dev.stint.error.ErrorCode;
import dev.stint.error.StintException;
import dev.stint.issuance.CiRequests;
import dev.stint.issuance.ConsoleService;
import dev.stint.issuance.Issuance;
import dev.stint.issuance.LeaseIssuance;
import dev.stint.lease.Lease;
import dev.stint.lease.LeaseReading;
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
 * rule): the HTTP front ends of the one {@link Issuance} pipeline. They read the body, ask, and
 * write the answer; they decide nothing.
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
  private final Optional<OnLeases> onLeases;

  /** Minting on task leases: finding the lease an agent names, and the pipeline on it. */
  public record OnLeases(LeaseReading leases, LeaseIssuance issuance) {}

  public CredentialRoutes(
      Issuance issuance, CiRequests ciRequests, ConsoleService console, Clock clock) {
    this(issuance, ciRequests, console, clock, Optional.empty());
  }

  public CredentialRoutes(
      Issuance issuance,
      CiRequests ciRequests,
      ConsoleService console,
      Clock clock,
      Optional<OnLeases> onLeases) {
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
   * A credential on a task lease: the lease named, found by the lease token presented or as the
   * agent identity it names; a lease token without {@code lease}, or with a profile or parameters
   * (a lease fixes both), is refused before anything else.
   */
  private void onLease(RoutingContext ctx, JsonBodies body, Optional<String> lease) {
    if (lease.isEmpty()) {
      throw new StintException(
          ErrorCode.UNAUTHENTICATED,
          "a lease token mints its lease's credentials only: give {\"lease\": ID}");
    }
    if (body.optionalString("profile").isPresent() || !body.parameters("parameters").isEmpty()) {
      throw StintException.invalid(
          "a lease fixes its profile and parameters: give 'lease' and at most 'duration_seconds'");
    }
    OnLeases on =
        onLeases.orElseThrow(
            () -> new StintException(ErrorCode.UNAVAILABLE, "task leases are not served here"));
    Optional<Duration> requested = requested(body);
    Caller caller = RequestRoutes.caller(ctx);
    Optional<String> token = Authentication.leaseToken(ctx);
    (token.isPresent()
            ? on.leases().byToken(caller, token.get(), lease.get())
            : on.leases().forAgent(caller, lease.get()))
        .compose(
            l ->
                on.issuance()
                    .issue(new LeaseIssuance.LeaseAsk(matched(caller, token, l), l, requested)))
        .onSuccess(issued -> ctx.json(CredentialJson.of(issued)))
        .onFailure(ctx::fail);
  }

  /** The caller as the audit names them: a lease token's bearer, once matched, as its lease. */
  private static Caller matched(Caller caller, Optional<String> token, Lease lease) {
    return token.isEmpty()
        ? caller
        : new Caller(
            Authentication.leasePrincipal(lease.id()), caller.clientAddress(), caller.userAgent());
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
    if (lease.isPresent() || Authentication.leaseToken(ctx).isPresent()) {
      onLease(ctx, body, lease);
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
