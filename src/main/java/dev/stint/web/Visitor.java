package dev.stint.web;

import dev.stint.access.Caller;
import dev.stint.http.ClientAddresses;
import dev.stint.identity.Principal;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;

/**
 * A signed-in browser, as the pages see it: who (rebuilt from the session's verified claims), the
 * session secret (from its cookie), the CSRF token derived from it, whether the policy makes them
 * an auditor (for the navigation; the audit pages check again), whether this server has a Slack
 * app, whose linking page the navigation then offers, and whether they read access reviews (an
 * admin, an auditor or a profile's reviewer: for the navigation; the review pages ask the use
 * case).
 */
record Visitor(
    Principal principal,
    String sessionSecret,
    String csrf,
    boolean auditor,
    boolean slack,
    boolean reviews) {
  static final String KEY = "stint.web.visitor";

  static Visitor of(RoutingContext ctx) {
    Visitor v = ctx.get(KEY);
    if (v == null) {
      throw new IllegalStateException("page served without a session: the guard was skipped");
    }
    return v;
  }

  /** The caller the use cases (and their audit events) see. */
  Caller caller(RoutingContext ctx) {
    return new Caller(
        principal,
        ClientAddresses.of(ctx),
        Optional.ofNullable(ctx.request().getHeader("User-Agent")));
  }
}
