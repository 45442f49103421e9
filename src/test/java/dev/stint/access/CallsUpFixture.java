package dev.stint.access;

import io.vertx.core.Future;
import java.util.Optional;

/**
 * Test-only: a class of the core that decides through a use case above it, the road back up the
 * layering rule forbids. The architecture test checks that the rule rejects it; the main check
 * never sees it.
 */
public final class CallsUpFixture {
  private CallsUpFixture() {}

  static Future<AccessRequest> cancel(RequestDeciding deciding, Caller caller, String id) {
    return deciding.decide(caller, id, Action.CANCEL, Optional.empty());
  }
}
