package dev.stint.http;

import dev.stint.activity.UnusedGrants;
import dev.stint.error.StintException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET /v1/reports/unused?since=30d}: approved grants that ended in the window and were never
 * used; {@code GET /v1/reports/eligible?profile=NAME&cursor=C}: who among the directory's active
 * users may request and approve each profile (docs/api.md). For auditors, through the same {@link
 * AuditorGate} as the audit.
 */
public final class ReportRoutes implements ApiModule {
  /** The window when none is given. */
  static final String DEFAULT_SINCE = "30d";

  private final UnusedGrants unused;
  private final EligibilityReport eligible;
  private final AuditorGate gate;
  private final Clock clock;

  public ReportRoutes(
      UnusedGrants unused, EligibilityReport eligible, AuditorGate gate, Clock clock) {
    this.unused = unused;
    this.eligible = eligible;
    this.gate = gate;
    this.clock = clock;
  }

  @Override
  public void register(Router v1) {
    v1.get("/reports/unused")
        .handler(ctx -> gate.requireAuditor(ctx).compose(v -> unused(ctx)).onFailure(ctx::fail));
    v1.get("/reports/eligible")
        .handler(ctx -> gate.requireAuditor(ctx).compose(v -> eligible(ctx)).onFailure(ctx::fail));
  }

  private Future<Void> eligible(RoutingContext ctx) {
    return eligible
        .page(once(ctx, "profile"), once(ctx, "cursor"))
        .compose(page -> ctx.json(EligibilityJson.page(page)));
  }

  /** A parameter given at most once; blank is not given. */
  private static Optional<String> once(RoutingContext ctx, String name) {
    List<String> given = ctx.queryParam(name);
    if (given.size() > 1) {
      throw StintException.invalid(name + " is given more than once");
    }
    return given.stream().filter(s -> !s.isBlank()).findFirst();
  }

  private Future<Void> unused(RoutingContext ctx) {
    List<String> given = ctx.queryParam("since");
    if (given.size() > 1) {
      throw StintException.invalid("since is given more than once");
    }
    Instant now = clock.instant();
    String text = given.isEmpty() || given.get(0).isBlank() ? DEFAULT_SINCE : given.get(0);
    Instant since = AuditRoutes.instant("since", text, now);
    return unused.since(since, now).compose(report -> ctx.json(json(report)));
  }

  static JsonObject json(UnusedGrants.Report report) {
    JsonArray grants = new JsonArray();
    report.grants().forEach(g -> grants.add(json(g)));
    return new JsonObject()
        .put("since", report.since().toString())
        .put("until", report.until().toString())
        .put("grants", grants)
        .put("truncated", report.truncated());
  }

  private static JsonObject json(UnusedGrants.Grant g) {
    return new JsonObject()
        .put("request_id", g.requestId())
        .put("profile", g.profile())
        .put(
            "requester",
            new JsonObject()
                .put("issuer", g.requester().issuer())
                .put("subject", g.requester().subject())
                .put("email", g.requester().email().orElse(null)))
        .put("approved_at", g.approvedAt().toString())
        .put("ended_at", g.endedAt().toString())
        .put("credentials", g.credentials())
        .put("looked_up", g.lookedUp())
        // A grant with a call is not in the report: every row's count is nought.
        .put("calls", 0)
        .put("reason", g.lookedUp() == 0 ? "no_credential" : "no_call")
        .put("visibility", ActivityRoutes.json(g.visibility()))
        // No call seen is not "not used" where calls could have been made unseen.
        .put("unused", g.visibility().whole())
        .put("settled", g.settled());
  }
}
