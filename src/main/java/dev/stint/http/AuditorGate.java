package dev.stint.http;

import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;

/**
 * Decides whether the caller may read the audit log (the policies' {@code auditors} condition).
 * Fails with a StintException (unauthenticated or forbidden) when not; the audit routes never run
 * without one.
 */
public interface AuditorGate {
  Future<Void> requireAuditor(RoutingContext ctx);

  /** The admitted caller, as an event stream they open re-checks them. */
  StreamReader streamReader(RoutingContext ctx);
}
