package dev.stint.facts;

import dev.stint.policy.FactContext;
import dev.stint.policy.FactNeeds;
import dev.stint.policy.FactValues;
import io.vertx.core.Future;

/**
 * Where the facts a decision reads come from (who is on call, the ticket as the tracker has it, the
 * answers of the server's own providers): looked up before the decision, never under a row lock.
 * The answer never fails: a fact that could not be looked up is in it, false, with its error, so
 * the decision fails closed and records why.
 */
@FunctionalInterface
public interface FactSource {
  /** No provider configured: every fact a policy reads is unknown, and says so. */
  FactSource NONE =
      (needs, about) ->
          Future.succeededFuture(FactValues.unavailable(needs, "no fact provider is configured"));

  /**
   * The facts {@code needs} names, about {@code about}: the person decided about (on call is
   * theirs) and the request (its ticket).
   */
  Future<FactValues> gather(FactNeeds needs, FactContext about);
}
