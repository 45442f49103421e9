package dev.stint.http;

import dev.stint.error.StintException;
import dev.stint.issuance.IssuanceService;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/** {@code POST /v1/credentials}: mint for the caller's active grant. */
public final class CredentialRoutes implements RouteModule {
  private static final Set<String> FIELDS = Set.of("profile", "duration_seconds");

  private final IssuanceService issuance;

  public CredentialRoutes(IssuanceService issuance) {
    this.issuance = issuance;
  }

  @Override
  public void register(Router router) {
    router.post("/v1/credentials").handler(this::credentials);
  }

  private void credentials(RoutingContext ctx) {
    JsonBodies body = JsonBodies.read(ctx, FIELDS);
    String profile = body.requiredString("profile");
    Optional<Duration> requested = body.optionalLong("duration_seconds").map(seconds -> {
      if (seconds <= 0 || seconds > Duration.ofDays(1).toSeconds()) {
        throw StintException.invalid("'duration_seconds' must be between 1 and 86400");
      }
      return Duration.ofSeconds(seconds);
    });
    issuance.credentials(RequestRoutes.caller(ctx), profile, requested).onComplete(done -> {
      if (done.failed()) {
        ctx.fail(done.cause());
      } else {
        ctx.json(done.result().body());
      }
    });
  }
}
