package dev.stint.http;

import dev.stint.error.StintException;
import dev.stint.finding.FindingQuery;
import dev.stint.finding.FindingReading;
import dev.stint.policy.FindingRule;
import dev.stint.policy.FindingSeverity;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Findings (docs/api.md): {@code GET /v1/requests/{id}/findings} and {@code GET
 * /v1/leases/{id}/findings} for whoever may see the request, {@code GET
 * /v1/findings?since=&severity=&rule=} for the policy's auditors.
 */
public final class FindingRoutes implements ApiModule {
  /** The window of {@code GET /v1/findings} when none is given. */
  public static final String DEFAULT_SINCE = "7d";

  private final FindingReading findings;
  private final Clock clock;

  public FindingRoutes(FindingReading findings, Clock clock) {
    this.findings = findings;
    this.clock = clock;
  }

  @Override
  public void register(Router v1) {
    v1.get("/requests/:id/findings").handler(this::ofRequest);
    v1.get("/leases/:id/findings").handler(this::ofLease);
    v1.get("/findings").handler(this::all);
  }

  private void ofRequest(RoutingContext ctx) {
    findings
        .ofRequest(RequestRoutes.caller(ctx), ctx.pathParam("id"))
        .onSuccess(list -> ctx.json(FindingJson.list(list)))
        .onFailure(ctx::fail);
  }

  private void ofLease(RoutingContext ctx) {
    findings
        .ofLease(RequestRoutes.caller(ctx), ctx.pathParam("id"))
        .onSuccess(list -> ctx.json(FindingJson.list(list)))
        .onFailure(ctx::fail);
  }

  /**
   * The query is read only once the caller may list findings: someone who may not is refused (and
   * recorded) whatever they asked, and a bad query's message, which lists the rules, is an
   * auditor's to read.
   */
  private void all(RoutingContext ctx) {
    findings
        .all(RequestRoutes.caller(ctx), () -> query(ctx, clock.instant()))
        .onSuccess(l -> ctx.json(FindingJson.page(l.page(), l.query().since())))
        .onFailure(ctx::fail);
  }

  /**
   * The filters of {@code GET /v1/findings} (and of the auditors' findings page): {@code since} (a
   * time or how long ago, 7d when not given), {@code severity} (that or above), {@code rule}; each
   * at most once, a bad one refused.
   */
  public static FindingQuery query(RoutingContext ctx, Instant now) {
    return new FindingQuery(
        AuditRoutes.instant("since", once(ctx, "since").orElse(DEFAULT_SINCE), now),
        once(ctx, "severity").map(FindingRoutes::severity).orElse(FindingSeverity.LOW),
        once(ctx, "rule").map(FindingRoutes::rule));
  }

  /** A parameter given at most once; blank is not given. */
  private static Optional<String> once(RoutingContext ctx, String name) {
    List<String> given = ctx.queryParam(name);
    if (given.size() > 1) {
      throw StintException.invalid(name + " is given more than once");
    }
    return given.stream().filter(s -> !s.isBlank()).findFirst();
  }

  private static FindingSeverity severity(String text) {
    return Arrays.stream(FindingSeverity.values())
        .filter(s -> s.code().equals(text.toLowerCase(Locale.ROOT)))
        .findFirst()
        .orElseThrow(() -> StintException.invalid("severity must be low, medium or high"));
  }

  private static FindingRule rule(String text) {
    return FindingRule.byId(text)
        .orElseThrow(
            () ->
                StintException.invalid(
                    "rule must be one of " + String.join(", ", FindingRule.ids())));
  }
}
